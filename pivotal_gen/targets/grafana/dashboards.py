"""The platform's Grafana dashboards, built as data from the scrape jobs.

Each dashboard charts the jobs whose metrics are of its kind (`metrics.kind`
in the spec): a service added with `kind: node` appears in the API Health
and Node Process dashboards' job list without another edit. Metric names are
the ones prom-client, postgres_exporter, redis_exporter and Alertmanager really expose.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pivotal_gen.targets.grafana.notifications import alertmanager
from pivotal_gen.targets.grafana.panels import RATE, Panel, Query, S, stat, table, timeseries
from pivotal_gen.targets.grafana.panels import selector_with as _with


def api_health() -> list[Panel]:
    count = "http_request_duration_seconds_count"
    bucket = "http_request_duration_seconds_bucket"
    five_xx = _with('status_code=~"5.."')
    errors = f"sum by (route) (rate({count}{five_xx}[{RATE}]))"
    total = f"sum by (route) (rate({count}{S}[{RATE}]))"

    def quantile(q: str) -> Query:
        expr = f"histogram_quantile({q}, sum by (le, route) (rate({bucket}{S}[{RATE}])))"
        return Query(expr, f"p{q[2:].ljust(2, '0')} {{{{route}}}}")

    return [
        stat("Targets up", Query(f"sum(up{S})")),
        stat("Requests", Query(f"sum(rate({count}{S}[{RATE}]))"), unit="reqps"),
        stat(
            "5xx ratio",
            Query(
                f"(sum(rate({count}{five_xx}[{RATE}])) or vector(0))"
                f" / sum(rate({count}{S}[{RATE}]))"
            ),
            unit="percentunit",
        ),
        stat(
            "p95 latency",
            Query(f"histogram_quantile(0.95, sum by (le) (rate({bucket}{S}[{RATE}])))"),
            unit="s",
        ),
        timeseries("Request rate by route", Query(total, "{{route}}"), unit="reqps"),
        timeseries(
            "Requests by status",
            Query(f"sum by (status_code) (rate({count}{S}[{RATE}]))", "{{status_code}}"),
            unit="reqps",
        ),
        timeseries(
            "5xx ratio by route",
            # `or ... * 0` keeps routes without errors at 0 instead of no data.
            Query(f"({errors} or {total} * 0) / {total}", "{{route}}"),
            unit="percentunit",
        ),
        timeseries(
            "Latency by route (p50, p95, p99)",
            quantile("0.5"),
            quantile("0.95"),
            quantile("0.99"),
            unit="s",
        ),
    ]


def node_process() -> list[Panel]:
    return [
        stat("Uptime", Query(f"min(time() - process_start_time_seconds{S})"), unit="s"),
        stat(
            "Node.js version", Query(f"count by (version) (nodejs_version_info{S})", "{{version}}")
        ),
        stat("Event loop lag p99", Query(f"max(nodejs_eventloop_lag_p99_seconds{S})"), unit="s"),
        stat("Active handles", Query(f"sum(nodejs_active_handles_total{S})")),
        timeseries(
            "CPU (1 = one core)",
            Query(f"rate(process_cpu_seconds_total{S}[{RATE}])", "{{instance}}"),
            unit="percentunit",
        ),
        timeseries(
            "Resident memory",
            Query(f"process_resident_memory_bytes{S}", "{{instance}}"),
            unit="bytes",
        ),
        timeseries(
            "Heap",
            Query(f"nodejs_heap_size_used_bytes{S}", "used {{instance}}"),
            Query(f"nodejs_heap_size_total_bytes{S}", "total {{instance}}"),
            unit="bytes",
        ),
        timeseries(
            "Event loop lag",
            Query(f"nodejs_eventloop_lag_p50_seconds{S}", "p50 {{instance}}"),
            Query(f"nodejs_eventloop_lag_p99_seconds{S}", "p99 {{instance}}"),
            unit="s",
        ),
        timeseries(
            "GC time (share of wall time)",
            Query(
                f"sum by (instance, kind) (rate(nodejs_gc_duration_seconds_sum{S}[{RATE}]))",
                "{{kind}} {{instance}}",
            ),
            unit="percentunit",
        ),
        timeseries(
            "Active handles and requests",
            Query(f"nodejs_active_handles_total{S}", "handles {{instance}}"),
            Query(f"nodejs_active_requests_total{S}", "requests {{instance}}"),
        ),
    ]


def database() -> list[Panel]:
    databases = _with('datname!~"template.*"')
    active = _with('state="active"')

    def per_database(metric: str, legend: str) -> Query:
        return Query(f"sum by (datname) (rate({metric}{databases}[{RATE}]))", legend)

    hit = f"sum(rate(pg_stat_database_blks_hit{databases}[{RATE}]))"
    read = f"sum(rate(pg_stat_database_blks_read{databases}[{RATE}]))"
    statement = "sum by (datname, user, queryid)"
    mean_time = (
        f"topk(10, {statement} (rate(pg_stat_statements_seconds_total{S}[5m]))"
        f" / {statement} (rate(pg_stat_statements_calls_total{S}[5m])))"
    )
    return [
        stat("PostgreSQL up", Query(f"min(pg_up{S})")),
        stat(
            "Connections used",
            Query(f"sum(pg_stat_activity_count{S}) / max(pg_settings_max_connections{S})"),
            unit="percentunit",
        ),
        stat("Cache hit ratio", Query(f"{hit} / ({hit} + {read})"), unit="percentunit"),
        stat(
            "Longest active transaction",
            Query(f"max(pg_stat_activity_max_tx_duration{active})"),
            unit="s",
        ),
        timeseries(
            "Connections by state",
            Query(f"sum by (state) (pg_stat_activity_count{S})", "{{state}}"),
        ),
        timeseries(
            "Transactions",
            per_database("pg_stat_database_xact_commit", "commit {{datname}}"),
            per_database("pg_stat_database_xact_rollback", "rollback {{datname}}"),
            unit="ops",
        ),
        timeseries(
            "Rows",
            per_database("pg_stat_database_tup_fetched", "fetched {{datname}}"),
            per_database("pg_stat_database_tup_inserted", "inserted {{datname}}"),
            per_database("pg_stat_database_tup_updated", "updated {{datname}}"),
            per_database("pg_stat_database_tup_deleted", "deleted {{datname}}"),
            unit="rowsps",
        ),
        timeseries(
            "Deadlocks",
            Query(
                f"sum by (datname) (increase(pg_stat_database_deadlocks{databases}[{RATE}]))",
                "{{datname}}",
            ),
        ),
        timeseries(
            "Database size",
            Query(f"sum by (datname) (pg_database_size_bytes{databases})", "{{datname}}"),
            unit="bytes",
        ),
        table(
            "Slowest statements (mean time per call, from pg_stat_statements)",
            Query(mean_time, "{{queryid}}"),
            unit="s",
            value_name="mean seconds per call",
            description="Look a queryid up in pg_stat_statements for its text.",
        ),
    ]


def redis() -> list[Panel]:
    hits = f"rate(redis_keyspace_hits_total{S}[{RATE}])"
    misses = f"rate(redis_keyspace_misses_total{S}[{RATE}])"
    return [
        stat("Redis up", Query(f"min(redis_up{S})")),
        stat(
            "Commands", Query(f"sum(rate(redis_commands_processed_total{S}[{RATE}]))"), unit="ops"
        ),
        stat("Keys", Query(f"sum(redis_db_keys{S})")),
        stat("Connected clients", Query(f"sum(redis_connected_clients{S})")),
        timeseries(
            "Commands per second",
            Query(f"rate(redis_commands_processed_total{S}[{RATE}])", "{{instance}}"),
            unit="ops",
        ),
        timeseries(
            "Top commands",
            Query(f"topk(10, sum by (cmd) (rate(redis_commands_total{S}[{RATE}])))", "{{cmd}}"),
            unit="ops",
        ),
        timeseries(
            "Hit rate", Query(f"{hits} / ({hits} + {misses})", "{{instance}}"), unit="percentunit"
        ),
        timeseries(
            "Memory used vs max (max 0 = no limit)",
            Query(f"redis_memory_used_bytes{S}", "used {{instance}}"),
            Query(f"redis_memory_max_bytes{S}", "max {{instance}}"),
            unit="bytes",
        ),
        timeseries(
            "Clients",
            Query(f"redis_connected_clients{S}", "connected {{instance}}"),
            Query(f"redis_blocked_clients{S}", "blocked {{instance}}"),
            Query(f"rate(redis_rejected_connections_total{S}[{RATE}])", "rejected/s {{instance}}"),
        ),
        timeseries(
            "Evicted and expired keys",
            Query(f"rate(redis_evicted_keys_total{S}[{RATE}])", "evicted {{instance}}"),
            Query(f"rate(redis_expired_keys_total{S}[{RATE}])", "expired {{instance}}"),
            unit="ops",
        ),
    ]


@dataclass(frozen=True)
class DashboardKind:
    slug: str  # the file name and the end of the uid
    title: str
    kind: str  # the metrics.kind of the jobs it charts
    panels: Callable[[], list[Panel]]


DASHBOARDS = (
    DashboardKind("api-health", "API Health", "node", api_health),
    DashboardKind("database", "Database", "postgres", database),
    DashboardKind("redis", "Redis", "redis", redis),
    DashboardKind("node-process", "Node Process", "node", node_process),
    DashboardKind("alertmanager", "Alertmanager", "alertmanager", alertmanager),
)

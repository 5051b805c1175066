"""Metric names the stack really exposes, by the kind of job that exposes them.

Read from ../shared/reference/metrics.md (prom-client v15 default metrics plus
the http_request_duration_seconds histogram, postgres_exporter v0.20,
redis_exporter v1.88, Prometheus v3 self-metrics); Alertmanager's from a running
Alertmanager's /metrics, which tests/rehearsal/test_alerting.py reads again (with
Prometheus's notification counters). Dashboards and alerts may
use nothing else, so that no panel stays empty and no alert is silently dead.
"""

from __future__ import annotations

SYNTHETIC = {"up", "scrape_duration_seconds", "scrape_samples_scraped"}

NODE = {
    "process_cpu_user_seconds_total", "process_cpu_system_seconds_total",
    "process_cpu_seconds_total", "process_start_time_seconds", "process_resident_memory_bytes",
    "process_virtual_memory_bytes", "process_heap_bytes", "process_open_fds", "process_max_fds",
    "nodejs_eventloop_lag_seconds", "nodejs_eventloop_lag_min_seconds",
    "nodejs_eventloop_lag_max_seconds", "nodejs_eventloop_lag_mean_seconds",
    "nodejs_eventloop_lag_stddev_seconds", "nodejs_eventloop_lag_p50_seconds",
    "nodejs_eventloop_lag_p90_seconds", "nodejs_eventloop_lag_p99_seconds",
    "nodejs_active_handles", "nodejs_active_handles_total", "nodejs_active_requests",
    "nodejs_active_requests_total", "nodejs_heap_size_total_bytes", "nodejs_heap_size_used_bytes",
    "nodejs_external_memory_bytes", "nodejs_version_info", "nodejs_gc_duration_seconds_bucket",
    "nodejs_gc_duration_seconds_sum", "nodejs_gc_duration_seconds_count",
    "http_request_duration_seconds_bucket", "http_request_duration_seconds_sum",
    "http_request_duration_seconds_count",
}  # fmt: skip

POSTGRES = {
    "pg_up", "pg_exporter_last_scrape_error", "pg_database_size_bytes", "pg_locks_count",
    "pg_stat_activity_count", "pg_stat_activity_max_tx_duration", "pg_settings_max_connections",
    "pg_stat_database_numbackends", "pg_stat_database_xact_commit",
    "pg_stat_database_xact_rollback", "pg_stat_database_blks_read", "pg_stat_database_blks_hit",
    "pg_stat_database_tup_returned", "pg_stat_database_tup_fetched",
    "pg_stat_database_tup_inserted", "pg_stat_database_tup_updated",
    "pg_stat_database_tup_deleted", "pg_stat_database_deadlocks",
    "pg_stat_statements_calls_total", "pg_stat_statements_seconds_total",
    "pg_stat_statements_rows_total",
}  # fmt: skip

REDIS = {
    "redis_up", "redis_instance_info", "redis_connected_clients", "redis_blocked_clients",
    "redis_config_maxclients", "redis_memory_used_bytes", "redis_memory_max_bytes",
    "redis_commands_processed_total", "redis_rejected_connections_total",
    "redis_keyspace_hits_total", "redis_keyspace_misses_total", "redis_expired_keys_total",
    "redis_evicted_keys_total", "redis_commands_total", "redis_db_keys",
}  # fmt: skip

PROMETHEUS = {
    "prometheus_config_last_reload_successful", "prometheus_rule_evaluation_failures_total",
    "prometheus_tsdb_head_series", "prometheus_notifications_errors_total",
}  # fmt: skip

ALERTMANAGER = {
    "alertmanager_notifications_total", "alertmanager_notifications_failed_total",
    "alertmanager_notification_latency_seconds_bucket", "alertmanager_alerts",
    "alertmanager_silences", "alertmanager_config_last_reload_successful",
}  # fmt: skip

BY_KIND = {
    "node": NODE, "postgres": POSTGRES, "redis": REDIS, "prometheus": PROMETHEUS,
    "alertmanager": ALERTMANAGER,
}  # fmt: skip
ALL = SYNTHETIC | NODE | POSTGRES | REDIS | PROMETHEUS | ALERTMANAGER

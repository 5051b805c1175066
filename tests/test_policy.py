"""Policy rules: the registry, exceptions and switches with reasons, production-only rules.

Each rule's failing case is a data-driven file in cases/invalid/policy-*.yaml.
"""

from __future__ import annotations

import typing
from collections.abc import Mapping
from pathlib import Path

import pytest

from pivotal_gen.checks.cross import secret_name
from pivotal_gen.checks.rules.image_pinned import image_problem
from pivotal_gen.checks.rules.no_literal_secret import _flag_values, problem
from pivotal_gen.checks.rules.registry import RULES
from pivotal_gen.model.policy import RuleName
from pivotal_gen.model.spec import Spec
from tests.conftest import REPO, Run

LATEST_IMAGES = (
    "services:\n  redis:\n    image: redis:latest\n"
    "  prometheus:\n    image: prom/prometheus:latest\n"
)


def test_the_registry_and_the_spec_model_name_the_same_rules() -> None:
    names = [rule.name for rule in RULES]
    assert len(set(names)) == len(names)
    assert sorted(names) == sorted(typing.get_args(RuleName))


def test_the_docs_document_every_rule() -> None:
    page = (REPO / "docs" / "policy.md").read_text()
    missing = [rule.name for rule in RULES if f"| `{rule.name}` |" not in page]
    assert not missing, f"rules missing from the table in docs/policy.md: {missing}"


def test_an_exception_skips_its_service_only(project: Path, run: Run) -> None:
    (project / "profiles/case.yaml").write_text(
        LATEST_IMAGES + "policy:\n  rules:\n    image-pinned:\n      except:\n"
        "        redis: we track the mirror's latest on purpose in this test\n"
    )

    result = run("validate", "--profile", "case")

    assert result.exit_code == 2
    assert [line.split(": ")[1] for line in result.stderr.splitlines()] == [
        "services.prometheus.image"
    ]


def test_a_rule_disabled_with_a_reason_is_off(project: Path, run: Run) -> None:
    (project / "profiles/case.yaml").write_text(
        LATEST_IMAGES + "policy:\n  rules:\n    image-pinned:\n"
        "      disabled: a throwaway profile for trying out new images\n"
    )

    assert run("validate", "--profile", "case").exit_code == 0


def test_production_rules_run_in_production_profiles_only(project: Path, run: Run) -> None:
    opened = "services:\n  redis:\n    ports: ['6379:6379']\n"
    (project / "profiles/dev.yaml").write_text(opened)
    (project / "profiles/prod.yaml").write_text(
        (project / "profiles/prod.yaml")
        .read_text()
        .replace("  redis:\n    ports: []", "  redis:\n    ports: ['6379:6379']")
    )

    result = run("validate")

    assert result.exit_code == 2
    assert [line.split(":")[0] for line in result.stderr.splitlines()] == ["profiles/prod.yaml"]
    assert "(rule prod-private-ports)" in result.stderr


@pytest.mark.parametrize(
    ("reference", "pinned"),
    [
        ("redis:8-alpine", True),
        ("prom/prometheus:v3.14.0", True),
        ("registry.local:5000/team/app:1.2.3", True),
        ("redis@sha256:" + "a" * 64, True),
        ("redis", False),
        ("redis:latest", False),
        ("registry.local:5000/team/app", False),
    ],
)
def test_what_counts_as_pinned(reference: str, pinned: bool) -> None:
    assert (image_problem(reference) is None) == pinned


@pytest.mark.parametrize(
    ("args", "values"),
    [
        (["redis-server", "--requirepass", "pw"], [(2, "pw")]),
        (["app", "--db-password=pw", "--port", "1"], [(1, "pw")]),
        (["app", "--token"], []),  # nothing after it
        (["app", "--verbose", "x"], []),
        (["redis_exporter", "--redis.password", "pw"], [(2, "pw")]),  # a dotted flag
        (["redis-cli", "-a", "pw", "ping"], [(2, "pw")]),
        (["/usr/local/bin/redis-cli", "--user", "u", "-a", "pw"], [(4, "pw")]),
        (["ls", "-a", "x"], []),  # -a is redis-cli's password flag only
        (["app", "--password-file", "/run/secrets/pw"], []),  # the file, not the secret
        (["redis_exporter", "--redis.password-file=/run/secrets/pw.json"], []),
    ],
)
def test_password_flags_and_their_values(args: list[str], values: list[tuple[int, str]]) -> None:
    assert list(_flag_values(args)) == values


def test_a_reference_after_a_password_flag_is_fine(project: Path, run: Run) -> None:
    (project / "profiles/case.yaml").write_text(
        "services:\n  redis-exporter:\n"
        "    command: [--redis.password, '${REDIS_PASSWORD}', --redis.password-file, /x.json]\n"
    )

    assert run("validate", "--profile", "case").exit_code == 0


def test_an_exception_no_longer_needed_is_an_error(project: Path, run: Run) -> None:
    spec = project / "pivotal.yaml"
    text = spec.read_text()
    exporter = "    image: oliver006/redis_exporter:v1.88.0\n"
    probe = "    healthcheck: {test: [CMD, /redis_exporter, --version]}\n"
    spec.write_text(text.replace(exporter, exporter + probe))

    result = run("validate")

    assert result.exit_code == 2
    line = next(i for i, t in enumerate(text.splitlines(), 2) if "redis-exporter: the image" in t)
    assert result.stderr == (
        f"pivotal.yaml:{line}:25: policy.rules.healthcheck.except.redis-exporter: "
        "redis-exporter follows this rule now; remove the exception\n"
    )


def test_a_password_file_path_is_not_a_literal_secret(project: Path, run: Run) -> None:
    (project / "profiles/case.yaml").write_text(
        "services:\n  grafana:\n    environment:\n      GF_SECURITY_ADMIN_PASSWORD: null\n"
        "      GF_SECURITY_ADMIN_PASSWORD__FILE: /run/secrets/grafana-admin\n"
    )

    assert run("validate", "--profile", "case").exit_code == 0


# The credential variables of the common images (their documentation), and names that
# only look close to one.
IMAGE_CREDENTIALS = [
    "POSTGRES_PASSWORD", "PGPASSWORD", "DATA_SOURCE_PASS", "MYSQL_ROOT_PASSWORD",
    "MARIADB_PASSWORD", "REDIS_PASSWORD", "REDISCLI_AUTH", "RABBITMQ_DEFAULT_PASS",
    "RABBITMQ_ERLANG_COOKIE", "MONGO_INITDB_ROOT_PASSWORD", "ME_CONFIG_MONGODB_ADMINPASSWORD",
    "MINIO_ROOT_PASSWORD", "MINIO_SECRET_KEY", "MINIO_ACCESS_KEY", "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN", "GF_SECURITY_ADMIN_PASSWORD", "GF_SECURITY_SECRET_KEY",
    "GF_DATABASE_PASSWORD", "GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET", "KEYCLOAK_ADMIN_PASSWORD",
    "KC_BOOTSTRAP_ADMIN_PASSWORD", "KC_DB_PASSWORD", "ELASTIC_PASSWORD", "KIBANA_PASSWORD",
    "ELASTICSEARCH_SERVICEACCOUNTTOKEN", "PGADMIN_DEFAULT_PASSWORD", "WORDPRESS_AUTH_KEY",
    "WORDPRESS_NONCE_SALT", "MEILI_MASTER_KEY", "APP_KEY", "ENCRYPTION_KEY", "SIGNING_KEY",
    "API_KEY", "STRIPE_APIKEY", "JWT_PRIVATE_KEY", "GOOGLE_APPLICATION_CREDENTIALS",
    "SMTP_PASS", "DB_PWD", "SSH_PASSPHRASE", "BASIC_AUTH", "REQUIREPASS", "password",
]  # fmt: skip
NOT_CREDENTIALS = [
    "PWD", "OLDPWD", "POSTGRES_USER", "JWT_ACCESS_TTL", "CACHE_TTL_SECS", "PUBLIC_KEY",
    "STRIPE_PUBLISHABLE_KEY", "PRIMARY_KEY", "CACHE_KEY", "ROUTING_KEY", "TLS_KEY",
    "KEY_PREFIX", "AUTH_ENABLED", "GF_AUTH_ANONYMOUS_ENABLED", "SALT_ROUNDS", "BYPASS_CACHE",
    "DATABASE_URL", "SENTRY_DSN", "MONKEY",
]  # fmt: skip


@pytest.mark.parametrize("name", IMAGE_CREDENTIALS)
def test_the_common_images_credential_names_are_secret(name: str) -> None:
    assert secret_name(name)


@pytest.mark.parametrize("name", NOT_CREDENTIALS)
def test_names_that_only_look_close_are_not(name: str) -> None:
    assert not secret_name(name)


@pytest.mark.parametrize(
    "text",
    [
        "postgresql://app:s3cr3t@db:5432/app",
        "postgresql://db/app?sslmode=require&password=s3cr3t",
        "host=db user=app password=s3cr3t",
        "Server=db;User Id=app;Password=s3cr3t;",
        "sh -c 'PGPASSWORD=s3cr3t pg_dump app'",
        "-Dspring.datasource.password=s3cr3t",
        "redis-server --requirepass s3cr3t",
        "redis-cli -a s3cr3t ping",
        "REDISCLI_AUTH=s3cr3t redis-cli ping",
        "redis_exporter --redis.password s3cr3t",
        "REDIS_PASSWORD=s3cr3t redis_exporter",
        "redis-server --user default on >s3cr3t ~* +@all",
        "redis-cli ACL SETUSER app on '>s3cr3t' '~*'",
        "-----BEGIN RSA PRIVATE KEY-----",
    ],
)
def test_literal_secrets_inside_strings(text: str) -> None:
    assert problem(text, code=True, config=False)


@pytest.mark.parametrize(
    "text",
    [
        "postgresql://${POSTGRES_USER}:${POSTGRES_PASSWORD}@postgres:5432/app",
        "redis://redis:6379",
        "PGPASSWORD=$$PGPASSWORD pg_dump app",  # the shell's variable, from the environment
        "password=${DB_PASSWORD}",
        "--requirepass ${REDIS_PASSWORD}",
        "redis://default:${REDIS_PASSWORD}@redis:6379",
        "redis_exporter --redis.password-file /run/secrets/redis.json",
        'REDISCLI_AUTH="$$(cat /run/secrets/redis_password)" redis-cli ping',
        "ls -a /data",
        "echo user bob >/tmp/out",  # a shell redirection, not a Redis ACL rule
        "user default on #$${hash%% *} ~* &* +@all",  # the password's hash, from the shell
        "pg_isready -U ${POSTGRES_USER}",
        "token expired",  # a value, not a config line
    ],
)
def test_references_and_plain_strings_are_fine(text: str) -> None:
    assert problem(text, code=True, config=False) is None


def test_config_lines_in_files() -> None:
    assert problem("maxmemory 1gb\nrequirepass s3cr3t\n", code=True, config=True)
    assert problem("password: s3cr3t\n", code=True, config=True)
    assert problem("requirepass ${REDIS_PASSWORD}\n", code=True, config=True) is None
    assert problem("user default on >s3cr3t ~* &* +@all\n", code=True, config=True)
    assert problem("user default on >${REDIS_PASSWORD} ~*\n", code=True, config=True) is None


def test_a_service_with_a_literal_secret_can_be_excepted(project: Path, run: Run) -> None:
    (project / "profiles/case.yaml").write_text(
        "services:\n  postgres-exporter:\n    environment:\n      DATA_SOURCE_PASS: s3cr3t\n"
        "policy:\n  rules:\n    no-literal-secret:\n      except:\n"
        "        postgres-exporter: a throwaway exporter password in a test profile\n"
    )

    assert run("validate", "--profile", "case").exit_code == 0


MARKER = "MARKERs3cr3t"
# Every message that is about a secret value, each given the marker as that value.
SECRET_MESSAGES = {
    "name": "services:\n  redis:\n    environment:\n      RABBITMQ_DEFAULT_PASS: {m}\n",
    "declared": "services:\n  backend:\n    environment:\n      JWT_SECRET: {m}\n",
    "default-form": "services:\n  backend:\n    environment:\n"
    "      JWT_SECRET: ${{JWT_SECRET:-{m}}}\n",
    "unclosed": "services:\n  backend:\n    environment:\n      X: redis://${{USER:{m}@redis\n",
    "url": "services:\n  backend:\n    environment:\n      REDIS_URL: redis://:{m}@redis\n",
    "url-default": "variables:\n  REDIS_HOST:\n    default: redis://:{m}@redis\n",
    "typed-default": "variables:\n  DB_PASS:\n    description: d\n    type: integer\n"
    "    default: {m}\n",
    "typed-value": "variables:\n  DB_PASS:\n    description: d\n    type: integer\n"
    "services:\n  backend:\n    environment:\n      DB_PASS: {m}\n",
    "flag": "services:\n  redis-exporter:\n    command: [--requirepass, {m}]\n",
    "dotted-flag": "services:\n  redis-exporter:\n    command: [--redis.password, {m}]\n",
    "redis-cli": "services:\n  redis:\n    healthcheck:\n      test: [CMD, redis-cli, -a, {m}]\n",
    "acl": "services:\n  redis-exporter:\n    command: [redis-cli, ACL, SETUSER, a, '>{m}']\n",
    "assigned": "services:\n  postgres:\n    healthcheck:\n      test: PGPASSWORD={m} true\n",
    "grafana": "services:\n  grafana:\n    environment:\n      GF_SECURITY_ADMIN_PASSWORD: {m}\n",
    "external-url": "monitoring:\n  alertmanager:\n    external_url: https://am.example/?token={m}\n",
    "webhook-url": "monitoring:\n  alertmanager:\n    receivers:\n      oncall:\n"
    "        webhook_configs: [{{url: 'https://hooks.example/x?api_key={m}'}}]\n",
    "matcher-url": "monitoring:\n  alertmanager:\n    route:\n      routes:\n"
    "        - {{matchers: ['x=\"redis://:{m}@r\"'], receiver: oncall}}\n",
}


@pytest.mark.parametrize("case", sorted(SECRET_MESSAGES))
@pytest.mark.parametrize("output", ["text", "json", "github"])
def test_no_error_repeats_the_secret(case: str, output: str, project: Path, run: Run) -> None:
    (project / "profiles/case.yaml").write_text(SECRET_MESSAGES[case].format(m=MARKER))

    result = run("validate", "--profile", "case", "--format", output)

    assert result.exit_code == 2
    assert "case.yaml" in result.output  # the error was reported, located
    assert MARKER not in result.output


def _violations(rule_name: str, service: Mapping[str, object], **variables: object) -> list[str]:
    """The messages of one rule on a spec of one service `s`; variables by their default."""
    raw = {
        "project": "p",
        "variables": {
            name: {"description": "d", "default": default} for name, default in variables.items()
        },
        "services": {"s": {"layer": "infrastructure", "image": "busybox:1.37", **service}},
    }
    (rule,) = [rule for rule in RULES if rule.name == rule_name]
    return [violation.message for violation in rule.check(Spec.model_validate(raw))]


@pytest.mark.parametrize(
    "port",
    [
        "5432:5432",
        "0.0.0.0:5432:5432",
        "[::]:5432:5432",
        "[::0]:5432:5432",
        {"target": 5432, "published": 5432, "host_ip": ""},
        {"target": 5432, "published": 5432, "host_ip": "0:0:0:0:0:0:0:0"},
        {"target": 5432, "published": 5432, "host_ip": "::ffff:0.0.0.0"},
        {"target": 5432, "published": 5432, "host_ip": "8.8.4.4"},
    ],  # (a host_ip that is not an address, "0" say, is refused by the model: test_fields.py)
)
def test_every_spelling_of_an_exposed_port_is_caught(port: object) -> None:
    assert len(_violations("prod-private-ports", {"ports": [port]})) == 1


@pytest.mark.parametrize(
    "host_ip", ["127.0.0.1", "127.0.0.2", "::1", "10.0.0.5", "192.168.1.10", "fd00::1"]
)
def test_loopback_and_one_private_interface_are_bound(host_ip: str) -> None:
    port = {"target": 5432, "published": 5432, "host_ip": host_ip}
    assert _violations("prod-private-ports", {"ports": [port]}) == []


METRICS = {"metrics": {"port": 9100}, "expose": [9100]}


@pytest.mark.parametrize(
    "port",
    [
        "9100:9100",
        "[::0]:9100:9100",
        {"target": 9100, "published": 9100, "host_ip": "::ffff:0.0.0.0"},
        {"target": 9100, "published": 19100, "host_ip": "10.0.0.5"},
        {"target": 9100, "published": 9100, "host_ip": "fd00::1"},
        {"target": 9100, "published": 9100, "host_ip": "8.8.4.4"},
    ],
)
def test_a_metrics_port_published_beyond_this_host_is_caught(port: object) -> None:
    assert len(_violations("prod-private-metrics", {**METRICS, "ports": [port]})) == 1


@pytest.mark.parametrize("host_ip", ["127.0.0.1", "127.0.0.2", "::1", "::ffff:127.0.0.1"])
def test_a_metrics_port_on_loopback_is_fine(host_ip: str) -> None:
    port = {"target": 9100, "published": 9100, "host_ip": host_ip}
    assert _violations("prod-private-metrics", {**METRICS, "ports": [port]}) == []


def test_only_the_metrics_port_counts() -> None:
    service = {**METRICS, "ports": ["8080:8080", "9100/udp"]}
    assert _violations("prod-private-metrics", service) == []
    # The port metrics default to is the service's http.port.
    served = {"metrics": {}, "http": {"port": 3000, "health": "/health"}, "ports": ["3000:3000"]}
    assert len(_violations("prod-private-metrics", served)) == 1


@pytest.mark.parametrize("kind", [{"port": 9100}, {"kind": "prometheus"}])
def test_the_port_rules_agree_on_a_published_metrics_port(kind: dict[str, object]) -> None:
    """Each rule's fix for an infrastructure service's metrics port satisfies the other."""
    port = 9100 if "port" in kind else 9090
    service = {"metrics": kind, "expose": [port], "ports": [f"{port}:{port}"]}
    (ports,) = _violations("prod-private-ports", service)
    (metrics,) = _violations("prod-private-metrics", service)
    for message in (ports, metrics):
        assert "on 127.0.0.1" in message or "host_ip 127.0.0.1 " in message, message
        assert "private interface" not in message, message
    fixed = {**service, "ports": [{"target": port, "published": port, "host_ip": "127.0.0.1"}]}
    assert _violations("prod-private-ports", fixed) == []
    assert _violations("prod-private-metrics", fixed) == []
    # Another port of the service may still be bound to a private interface.
    two = {**service, "ports": [f"127.0.0.1:{port}:{port}", "8080:8080"]}
    (other,) = _violations("prod-private-ports", two)
    assert "private interface" in other


@pytest.mark.parametrize("user", ["root", "0", "00", "+0", "0:0", "root:root", "00:00", "0:1000"])
def test_every_spelling_of_root_is_root(user: str) -> None:
    assert _violations("non-root", {"user": user}) == [f"runs as root ({user!r})"]


@pytest.mark.parametrize("default", ["0", "root", "00:00", 0])
def test_a_user_variable_is_checked_as_its_default(default: object) -> None:
    assert _violations("non-root", {"user": "${APP_USER}"}, APP_USER=default) == [
        f"runs as root ('${{APP_USER}}', which is {str(default)!r})"
    ]


@pytest.mark.parametrize("user", ["nobody", "1000", "10", "1000:0", "rootless", "${APP_USER}"])
def test_users_that_are_not_root(user: str) -> None:
    assert _violations("non-root", {"user": user}, APP_USER="1000") == []


@pytest.mark.parametrize(
    ("limits", "missing"),
    [
        ({"cpus": "0", "memory": "512M"}, "cpus"),
        ({"cpus": 0.0, "memory": "512M"}, "cpus"),
        ({"cpus": "0.5", "memory": "0"}, "memory"),
        ({"cpus": "0.5", "memory": "0M"}, "memory"),
        ({"cpus": "0.00", "memory": "0g"}, "memory or cpus"),
    ],
)
def test_a_zero_limit_is_no_limit(limits: dict[str, object], missing: str) -> None:
    service = {"deploy": {"resources": {"limits": limits}}}
    assert _violations("prod-resource-limits", service) == [
        f"has no {missing} limit; set deploy.resources.limits"
    ]


def test_nonzero_limits_are_limits() -> None:
    service = {"deploy": {"resources": {"limits": {"cpus": "0.01", "memory": "1"}}}}
    assert _violations("prod-resource-limits", service) == []


def test_an_image_variable_is_checked_as_its_default() -> None:
    assert _violations("image-pinned", {"image": "redis:${TAG}"}, TAG="latest") == [
        "image 'redis:latest' uses the moving tag 'latest'; name a version"
        " (the default of 'redis:${TAG}')"
    ]
    assert _violations("image-pinned", {"image": "${IMAGE}"}, IMAGE="redis") != []
    assert _violations("image-pinned", {"image": "redis:${TAG}"}, TAG="8-alpine") == []


def test_an_image_variable_the_deployer_must_set_is_pinned_by_env() -> None:
    raw = {
        "project": "p",
        "variables": {"TAG": {"description": "d", "required": True}},
        "services": {"s": {"layer": "application", "image": "redis:${TAG}"}},
    }
    (rule,) = [rule for rule in RULES if rule.name == "image-pinned"]
    assert list(rule.check(Spec.model_validate(raw))) == []


@pytest.mark.parametrize(
    "source",
    [
        "/var/run/docker.sock",
        "/run/docker.sock",
        "/",
        "/etc",
        "./../../etc",
        "..",
        "./data/../../x",
        "../repo-next-door",
    ],
)
def test_bind_mounts_out_of_the_repo_are_caught(source: str) -> None:
    assert len(_violations("bind-mounts", {"volumes": [f"{source}:/mnt"]})) == 1


@pytest.mark.parametrize("source", [".", "./data", "./a/../b", "./conf/..", "named-volume"])
def test_bind_mounts_inside_the_repo_and_volumes_are_fine(source: str) -> None:
    assert _violations("bind-mounts", {"volumes": [f"{source}:/mnt"]}) == []


def test_a_bind_mount_is_read_against_the_spec_folder_not_the_working_directory(
    project: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / "profiles/case.yaml").write_text(
        "services:\n  backend:\n    volumes: ['./sub/../../x:/x']\n"
    )
    (project / "profiles/sub").mkdir()
    monkeypatch.chdir(project / "profiles/sub")  # from here `../x` would be inside

    result = run("--spec", str(project / "pivotal.yaml"), "validate", "--profile", "case")

    assert result.exit_code == 2
    assert "(rule bind-mounts)" in result.stderr

"""The deployment files, kept correct by review and by these checks (no Docker engine here)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

DOCKER = Path(__file__).resolve().parents[1] / "docker"


def test_compose_has_the_airflow_components_and_a_postgis_warehouse() -> None:
    compose = yaml.safe_load((DOCKER / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {
        "airflow-apiserver",
        "airflow-scheduler",
        "airflow-dag-processor",
        "airflow-triggerer",
        "warehouse",
        "airflow-init",
    } <= set(services)
    assert services["warehouse"]["image"].startswith("postgis/postgis:15")
    commands = {name: svc.get("command") for name, svc in services.items()}
    assert commands["airflow-scheduler"] == "scheduler" and commands["airflow-dag-processor"] == "dag-processor"


def test_compose_holds_no_secret_defaults() -> None:
    text = (DOCKER / "docker-compose.yml").read_text()
    for match in re.finditer(r"\$\{(\w+)([^}]*)\}", text):
        name, rest = match.groups()
        if any(word in name for word in ("PASSWORD", "KEY", "SECRET", "CONN")):
            assert rest.startswith(":?"), f"{name} must be required, not defaulted"


def test_dockerfile_uses_the_pinned_airflow_and_the_lock() -> None:
    text = (DOCKER / "Dockerfile").read_text()
    lock = (DOCKER.parent / "requirements.lock").read_text()
    version = re.search(r"^apache-airflow==(\S+)", lock, re.M).group(1)
    assert f"AIRFLOW_VERSION={version}" in text
    assert "requirements.lock" in text and "dbt parse" in text


def test_the_image_holds_every_folder_the_package_reads_at_run_time() -> None:
    text = (DOCKER / "Dockerfile").read_text()
    # the GX suites, the feeds' configuration and schemas, Leaflet for the map
    for folder in ("contracts", "plugins", "dbt_project", "dags", "expectations", "feeds", "compliance"):
        assert re.search(rf"^COPY .*\b{folder} /opt/tranquillite/{folder}$", text, re.M), folder
    assert "/opt/tranquillite/node_modules/leaflet/dist" in text and "npm ci" in text


def test_the_test_servers_stay_out_of_the_image() -> None:
    """The sandboxes (fake Cortège, feeds, SMTP, SFTP) serve `make run` and the tests only:
    the image copies no folder that holds them, and the package imports none of them."""
    text = (DOCKER / "Dockerfile").read_text()
    copied = re.findall(r"^COPY .*?(\S+) /opt/tranquillite/", text, re.M)
    assert copied and "sandbox" not in copied
    assert not list((DOCKER.parent / "plugins").rglob("sandbox"))
    package = DOCKER.parent / "plugins" / "tranquillite"
    users = [p for p in package.rglob("*.py") if re.search(r"^\s*(from|import) sandbox\b", p.read_text(), re.M)]
    assert users == []

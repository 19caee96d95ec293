"""Connecting to Ray: the one place `import ray` happens, and where a missing package or a cluster
that does not answer becomes one sentence (ray.init itself would retry an unreachable address for
minutes)."""

from __future__ import annotations

import socket
from typing import Any

from synth_gradio.errors import InputError


def ray_module() -> Any:
    try:
        import ray
    except ImportError as exc:
        raise InputError('the Ray executor needs Ray: pip install -e ".[ray]" (or pip install ray)') from exc
    return ray


def connect(address: str = "") -> Any:
    """Ray, connected: to `address`, or to the cluster already in use, or a new local one."""
    ray = ray_module()
    where = f"at {address}" if address else "on this machine"
    hint = (
        "start one with `ray start --head` and pass its address (host:6379), "
        "or leave the address empty to run one on this machine"
    )
    try:
        if address:
            _reachable(address)  # ray.init retries an unreachable address for minutes
        if ray.is_initialized():
            _same_cluster(ray, address)
            return ray
        options: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False, "configure_logging": False}
        ray.init(address=address or None, **options)
    except (ConnectionError, RuntimeError, ValueError, OSError) as exc:
        raise InputError(f"no Ray cluster answers {where} ({exc}); {hint}") from exc
    return ray


def _same_cluster(ray: Any, address: str) -> None:
    """One process talks to one cluster: another address needs the app restarted."""
    current = ray.get_runtime_context().gcs_address
    if address and address != "auto" and address.split("://", 1)[-1] != current:
        raise InputError(f"this app already uses the Ray cluster at {current}; restart it to use {address}")


def _reachable(address: str, timeout: float = 5.0) -> None:
    """Raise OSError when nothing listens at host:port ("auto" is Ray's own lookup, left to it)."""
    if address == "auto":
        return
    hostport = address.split("://", 1)[-1].rsplit("/", 1)[0]
    host, _, port = hostport.rpartition(":")
    if not host or not port.isdigit():
        raise ValueError(f"a Ray address is host:port, not {address!r}")
    socket.create_connection((host, int(port)), timeout=timeout).close()

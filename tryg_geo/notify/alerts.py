"""Alerts after every import: check the rules, log what fires, e-mail it at once.

:func:`import_file` and :func:`import_upload` are the importer's own functions
(:mod:`tryg_geo.ingest.importer`) followed by :func:`check_alerts` when data was written: the
command line's ``import`` and the dashboard's import wizard call these two (through
``tryg_geo``), so the rules are checked after every import, in one place. What fires is
appended to the alert log (a key fires once: :func:`tryg_geo.store.notices.add_alerts`),
e-mailed through the digest's relay when ``[smtp]`` is set, and listed on Overblik for the
roles it concerns (:func:`alerts_for`). A broken ``alerts.toml`` or a relay that refuses never
undoes an import: it becomes a Danish sentence among the import's warnings.
"""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from .. import settings
from ..access import load_roles
from ..analysis.alerts import check_rules
from ..compute.alert_rules import parse_alert_rules
from ..errors import AccessError, MailError, UsageError
from ..ingest import importer
from ..ingest.result import LoadResult
from ..render.mail import alert_message
from ..store.dataset import load_dataset
from ..store.folder import Store
from ..store.notices import add_alerts, alert_log, alert_rules_text, mark_alert_mailed, seen_by
from ..views.registry import page_url
from .smtp import SmtpSettings, send, smtp_settings


@dataclass
class AlertRun:
    """What one check did: the alerts that fired now, who got mail, and what went wrong."""

    fired: list[dict[str, Any]] = field(default_factory=list)
    mailed: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def sentences(self) -> list[str]:
        """The run in Danish, for the import's report."""
        out = [f"Alarm: {a['rule']} – {a['text']}" for a in self.fired]
        if self.mailed:
            out.append(f"Alarmerne er sendt med e-mail til {', '.join(self.mailed)}.")
        return out + self.problems


def check_alerts(store: Store, *, smtp: SmtpSettings | None = None) -> AlertRun:
    """Check ``alerts.toml`` against the current data; log and e-mail what fires for the
    first time. Without the file nothing happens."""
    run = AlertRun()
    found = alert_rules_text(store.root)
    if found is None:
        return run
    try:
        rules = parse_alert_rules(found[0], source=str(found[1]))
    except UsageError as exc:
        run.problems.append(f"Alarmerne blev ikke tjekket: {exc.message}")
        return run
    ds = load_dataset(store)
    checked = check_rules(ds, rules)
    run.problems.extend(checked.problems)
    run.fired = add_alerts([a.record() for a in checked.alerts], store.root)
    if run.fired:
        _mail(store, run, ds.partnership.name, bool(ds.demo), smtp)
    return run


def _mail(
    store: Store, run: AlertRun, partnership: str, demo: bool, smtp: SmtpSettings | None
) -> None:
    try:
        smtp = smtp or smtp_settings()
    except MailError as exc:
        run.problems.append(f"Alarmerne blev ikke sendt: {exc.message}")
        return
    if smtp is None:
        return  # no relay configured: the alerts wait on Overblik
    try:
        by_role = _addresses_by_role(store)
    except AccessError as exc:
        run.problems.append(f"Alarmerne til roller blev ikke sendt: {exc.message}")
        by_role = {}
    per_address: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for alert in run.fired:
        for address in {
            *alert["addresses"],
            *(a for r in alert["roles"] for a in by_role.get(r, ())),
        }:
            per_address[address].append(alert)
    base = str(settings.get("base_url"))
    for address, alerts in sorted(per_address.items()):
        message = alert_message(
            partnership=partnership,
            demo=demo,
            alerts=[
                (
                    a["rule"],
                    a["text"],
                    a["fired_at"].replace("T", " kl. "),
                    page_url(a["view"], a["params"], base),
                )
                for a in alerts
            ],
            sender=smtp.sender,
            to=[address],
        )
        try:
            send(message, smtp, [address])
        except MailError as exc:
            run.problems.append(f"Alarmen til {address} blev ikke sendt: {exc.message}")
            continue
        run.mailed.append(address)
        for alert in alerts:
            mark_alert_mailed(alert["key"], [address], store.root)


def _addresses_by_role(store: Store) -> dict[str, list[str]]:
    """The e-mail addresses of ``roles.toml``'s [users], per role (domains name no one)."""
    if not (store.root / "roles.toml").exists():
        return {}
    out: dict[str, list[str]] = defaultdict(list)
    for key, role in load_roles(store.root).users.items():
        if "@" in key:
            out[role].append(key)
    return dict(out)


def _after_import(result: LoadResult, store: Store | None, dry_run: bool) -> LoadResult:
    if dry_run or result.accepted == 0:
        return result
    result.warnings.extend(check_alerts(store or Store()).sentences())
    return result


def import_file(kind: str, path: str | os.PathLike[str], **options: Any) -> LoadResult:
    """:func:`tryg_geo.ingest.importer.import_file`, then the alert rules (same arguments)."""
    result = importer.import_file(kind, path, **options)
    return _after_import(result, options.get("store"), bool(options.get("dry_run")))


def import_upload(kind: str, name: str, data: bytes, **options: Any) -> LoadResult:
    """:func:`tryg_geo.ingest.importer.import_upload`, then the alert rules."""
    result = importer.import_upload(kind, name, data, **options)
    return _after_import(result, options.get("store"), bool(options.get("dry_run")))


def alerts_for(
    role: str | None, who: str | None, store: Store | None = None
) -> list[dict[str, Any]]:
    """The alerts Overblik shows this person, newest first: those naming their role or their
    address, not yet marked as seen by them, each with its page's ``view`` and ``params``."""
    if role is None:
        return []
    root = (store or Store()).root
    seen = seen_by(who or "", root)
    mine = [
        a
        for a in alert_log(root)
        if (
            role in (a.get("roles") or []) or (who and who.casefold() in (a.get("addresses") or []))
        )
        and a.get("key") not in seen
    ]
    return list(reversed(mine))

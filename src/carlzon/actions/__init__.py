"""Turn insight into tasks for the departments that own each moment: rules, severity, tasks."""

from carlzon._lazy import lazy_exports

_FACE = {
    "Priority": "carlzon.actions.models",
    "Task": "carlzon.actions.models",
    "TaskStatus": "carlzon.actions.models",
    "Rule": "carlzon.actions.rules",
    "RuleSet": "carlzon.actions.rules",
    "load_rules": "carlzon.actions.rules",
    "parse_rules": "carlzon.actions.rules",
    "Severity": "carlzon.actions.severity",
    "Assessment": "carlzon.actions.severity",
    "assess": "carlzon.actions.severity",
    "dry_run_rules": "carlzon.actions.service",
    "RulesTestReport": "carlzon.actions.service",
}
__all__ = sorted(_FACE)
__getattr__, __dir__ = lazy_exports(__name__, _FACE)

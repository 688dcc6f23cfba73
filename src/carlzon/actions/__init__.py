"""Turn insight into tasks for the departments that own each moment."""

from carlzon.actions.models import Priority, Task, TaskStatus

__all__ = ["Priority", "Task", "TaskStatus"]

"""Long work started from the web app, run by a process of its own, with stored progress."""

from carlzon.jobs.models import Job, JobStatus

__all__ = ["Job", "JobStatus"]

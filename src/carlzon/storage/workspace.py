"""Store methods for workspace facts: the privacy policy every write applies (see privacy/)."""

from __future__ import annotations

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from carlzon.errors import ConfigError
from carlzon.privacy.policy import Privacy
from carlzon.privacy.pseudonyms import PREFIX, key_fingerprint
from carlzon.storage.tables import FeedbackRow, WorkspaceMetaRow


class WorkspaceMixin:
    """Privacy-key methods of Store (see store.py)."""

    engine: Engine
    privacy_key: bytes | None = None  # from settings (CARLZON_PRIVACY_KEY); None: the database's own
    keep_raw_customer_ids: bool = False

    def privacy(self) -> Privacy:
        """The policy for what is written to this store: customer ids hashed with the configured key
        or the database's own, or kept raw when the workspace says so.

        A configured key that differs from the one the stored ids were hashed with is refused: the
        same customer would get two ids and stop linking.
        """
        if self.keep_raw_customer_ids:
            return Privacy(None)
        cached = self.__dict__.get("_privacy")
        if cached is not None:  # checked once per store: a server asks on every request
            return cached  # type: ignore[no-any-return]
        policy = self._privacy_from_database()
        self.__dict__["_privacy"] = policy
        return policy

    def _privacy_from_database(self) -> Privacy:
        with Session(self.engine) as session, session.begin():
            stored = {row.name: row.value for row in session.scalars(select(WorkspaceMetaRow))}
            if self.privacy_key is None:
                own = bytes.fromhex(stored["privacy_key"])
                if stored.get("privacy_key_fingerprint") != key_fingerprint(own):
                    raise ConfigError(
                        "this database's customer ids are hashed with a CARLZON_PRIVACY_KEY; set the same key here"
                    )
                return Privacy(own)
            fingerprint = key_fingerprint(self.privacy_key)
            if stored.get("privacy_key_fingerprint") != fingerprint:
                hashed = session.scalar(
                    select(func.count()).select_from(FeedbackRow).where(FeedbackRow.customer_id.like(f"{PREFIX}%"))
                )
                if hashed:
                    raise ConfigError(
                        f"CARLZON_PRIVACY_KEY is not the key this database's {hashed:,} customer ids were hashed "
                        "with; set the key used before (or unset it if the database's own key was used)"
                    )
                row = session.get(WorkspaceMetaRow, "privacy_key_fingerprint") or WorkspaceMetaRow(
                    name="privacy_key_fingerprint"
                )
                row.value = fingerprint
                session.add(row)
        return Privacy(self.privacy_key)

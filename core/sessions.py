"""Sessions cached in Redis with the database as the copy of record (SESSION_ENGINE=cached_db).

Django's cached_db backend, except that an unreachable cache does not take the site down: a session
that cannot be read from or written to the cache is read from and written to the database (and the
failure logged), as with the plain database backend; deleting one (logout, and the new key at login)
deletes the database row, then tries the cached copy.

A cached copy that could not be deleted or updated (the cache was unreachable, not empty) could come
back with the cache: a logged-out session, or one that has since changed. So cached copies live at
most CACHED_COPY_SECONDS from when they were written, whatever happens to the cache meanwhile; it
costs one database read per active session every few minutes.
"""

from __future__ import annotations

import logging

from django.contrib.sessions.backends import cached_db

logger = logging.getLogger(__name__)

CACHED_COPY_SECONDS = 300


class SessionStore(cached_db.SessionStore):
    def _cached_age(self, **kwargs) -> int:
        return min(self.get_expiry_age(**kwargs), CACHED_COPY_SECONDS)

    def load(self) -> dict:
        try:
            data = self._cache.get(self.cache_key)
        except Exception:
            logger.warning("session cache unreachable; reading the session from the database", exc_info=True)
            data = None
        if data is not None:
            return data
        stored = self._get_session_from_db()
        if not stored:
            return {}
        data = self.decode(stored.session_data)
        try:
            self._cache.set(self.cache_key, data, self._cached_age(expiry=stored.expire_date))
        except Exception:
            logger.warning("session cache unreachable; session not cached", exc_info=True)
        return data

    def exists(self, session_key: str) -> bool:
        try:
            if session_key and (self.cache_key_prefix + session_key) in self._cache:
                return True
        except Exception:
            logger.warning("session cache unreachable; checking the database only", exc_info=True)
        return super(cached_db.SessionStore, self).exists(session_key)

    def save(self, must_create: bool = False) -> None:
        super(cached_db.SessionStore, self).save(must_create)
        try:
            self._cache.set(self.cache_key, self._session, self._cached_age())
        except Exception:
            logger.warning("session cache unreachable; session saved to the database only", exc_info=True)

    def delete(self, session_key: str | None = None) -> None:
        super(cached_db.SessionStore, self).delete(session_key)
        if session_key is None:
            if self.session_key is None:
                return
            session_key = self.session_key
        try:
            self._cache.delete(self.cache_key_prefix + session_key)
        except Exception:
            logger.warning(
                "session cache unreachable; the cached copy of a deleted session expires within %d s",
                CACHED_COPY_SECONDS,
                exc_info=True,
            )

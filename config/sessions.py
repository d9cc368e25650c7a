"""Sessions cached in Redis with the database as the copy of record (SESSION_ENGINE=cached_db).

Django's cached_db backend, except that an unreachable cache does not take the site down: a session
that cannot be read from or written to the cache is read from the database (and the failure logged),
as it would be with the plain database backend. Deleting (logout) still fails loudly when the cache
cannot be reached, so that a cached copy never outlives a logout.
"""

from __future__ import annotations

import logging

from django.contrib.sessions.backends import cached_db

logger = logging.getLogger(__name__)


class SessionStore(cached_db.SessionStore):
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
            self._cache.set(self.cache_key, data, self.get_expiry_age(expiry=stored.expire_date))
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

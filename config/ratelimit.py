"""Fixed-window rate limits on the shared cache.

The cache is shared by every worker and host (database cache or Redis), so a
limit holds however many processes serve the site. Client addresses are
hashed before they become cache keys: nothing that identifies a reporter is
written anywhere, and the counters expire with their window.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def client_fingerprint(request: HttpRequest) -> str:
    address = request.META.get("REMOTE_ADDR", "")
    return hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()[:32]


def hit(scope: str, ident: str, *, limit: int, window: int) -> bool:
    """Count one attempt; True when this attempt is over the limit."""
    key = f"rl:{scope}:{ident}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=window)
        count = 1
    return count > limit


def is_limited(scope: str, ident: str, *, limit: int) -> bool:
    """Whether the limit is already reached, without counting an attempt."""
    return (cache.get(f"rl:{scope}:{ident}") or 0) >= limit


def hit_client(request: HttpRequest, scope: str, *, limit: int, window: int) -> bool:
    return hit(scope, client_fingerprint(request), limit=limit, window=window)

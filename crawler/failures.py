"""A failed request's reason as a short stats key (``http_404``, ``timeout``, ``too_large``, …), named by
the type of the exception, so a Scrapy upgrade that rewords a message cannot silently change it."""

from __future__ import annotations

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from twisted.internet import error as tx_error
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseFailed


class Refused(IgnoreRequest):
    """A request our own middlewares refuse, with its reason (``offsite``, ``redirect_loop`` …)."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason


_BY_TYPE: tuple[tuple[tuple[type[BaseException], ...], str], ...] = (
    ((DownloadTimeoutError, tx_error.TimeoutError, tx_error.TCPTimedOutError), "timeout"),
    ((DownloadCancelledError,), "too_large"),
    ((ResponseDataLossError, ResponseFailed), "truncated"),
    ((DownloadConnectionRefusedError, tx_error.ConnectionRefusedError), "connection_refused"),
    ((CannotResolveHostError, tx_error.DNSLookupError), "dns_error"),
)
# Scrapy's own middlewares refuse with a plain IgnoreRequest and a message: matching the message is the
# only way to tell them apart (each case is covered by tests/test_hostile.py).
_SCRAPY_IGNORED = (("max redirections", "too_many_redirects"), ("robots.txt", "robots_forbidden"),
                   ("offsite", "offsite"), ("decompression", "too_large"), ("too large", "too_large"))


def failure_reason(failure: Failure) -> str:
    """``http_<status>`` for an HTTP error, else the reason the exception's type names."""
    error = failure.value
    response = getattr(error, "response", None)
    if response is not None:
        return f"http_{response.status}"
    if isinstance(error, Refused):
        return error.reason
    for types, reason in _BY_TYPE:
        if isinstance(error, types):
            return reason
    if isinstance(error, IgnoreRequest):
        message = str(error).lower()
        return next((reason for cue, reason in _SCRAPY_IGNORED if cue in message), "ignored")
    return f"download_error/{type(error).__name__}"

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.html import escape
from django.utils.translation import gettext as _

SESSION_STARTED_KEY = "portal_session_started_at"


class AbsoluteSessionLimitMiddleware:
    """End a session a fixed time after login, however active it was.

    The idle limit is Django's own (SESSION_COOKIE_AGE renewed on every request); this adds the
    absolute one, so a stolen session cookie is worthless after a working day.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            started = request.session.setdefault(SESSION_STARTED_KEY, now)
            if now - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                messages.info(request, _("Phiên làm việc đã hết hạn. Vui lòng đăng nhập lại."))
                return redirect(settings.LOGIN_URL)
        return self.get_response(request)


class VietnameseFirstLocaleMiddleware:
    """Speak Vietnamese unless the user chose English with the language switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language, and many office
    computers in the province run English-language browsers: the portal's default is Vietnamese
    whatever the browser says, and the choice is the user's (a cookie set by set_language).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ["Cookie"])
        return response


class PrivatePagesNoStoreMiddleware:
    """A response to a signed-in user leaves with `Cache-Control: no-store, private`.

    Pages behind the login show contact details and unpublished figures: neither a shared proxy
    nor the browser's disk cache (a shared office computer) may keep them. A view that chose its
    own policy keeps it, and anonymous visitors' public pages keep their caching.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        # Attachments are NoStoreDownloadsMiddleware's (portal/lib/downloads.py): it says no-store.
        attachment = response.get("Content-Disposition", "").startswith("attachment")
        signed_in = user is not None and user.is_authenticated
        if signed_in and not attachment and not response.has_header("Cache-Control"):
            patch_cache_control(response, no_store=True, private=True)
        return response


class RequestBodyLimitMiddleware:
    """Refuse a request whose declared body is larger than any upload the portal accepts.

    DATA_UPLOAD_MAX_MEMORY_SIZE bounds form fields, not files: without this, anyone could make a
    worker read (and spool to disk) a 100 MB body posted to the login page before a validator
    says no. The check reads only the Content-Length header, so it runs first and the body is
    never touched. Chunked bodies without a length are the reverse proxy's to cap
    (client_max_body_size in deploy/nginx.conf).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0  # Django itself treats an unreadable length as no body
        if declared > settings.REQUEST_BODY_MAX_BYTES:
            megabytes = -(-settings.REQUEST_BODY_MAX_BYTES // (1024 * 1024))  # rounded up
            title = _("Tệp quá lớn")
            message = _("Dữ liệu gửi lên vượt quá giới hạn %(megabytes)s MB.") % {
                "megabytes": megabytes
            }
            page = (
                f'<!doctype html><html lang="{translation.get_language()}"><meta charset="utf-8">'
                f"<title>{escape(title)}</title><h1>{escape(title)}</h1><p>{escape(message)}</p>"
                "</html>"
            )
            response = HttpResponse(page, status=413)
            # The body was not read: a keep-alive connection would parse it as the next request.
            response["Connection"] = "close"
            return response
        return self.get_response(request)

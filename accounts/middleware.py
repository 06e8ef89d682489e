from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control


def private_answers(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable:
    """Keep every answer to a logged-in user or a token out of shared and browser caches.

    Such an answer may carry unpublished text (review pages, exports, the API): a proxy must
    not serve it to someone else, nor a browser keep it on disk after logout. Static files
    (served before this) and anonymous answers such as /health/ stay cacheable; a view that
    sets its own Cache-Control keeps it.
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        # An API token logs its user in for the view, so this holds for token answers too.
        if request.user.is_authenticated and not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        return response

    return middleware

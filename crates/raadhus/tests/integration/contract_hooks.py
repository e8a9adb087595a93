"""Schemathesis hooks for the contract test (contract.rs).

The OpenAPI document states every rule of a single field. Two rules of the
news and pages API join two fields, which JSON Schema cannot state; the document says
them in words, and the API refuses a request that breaks them with 422:

- `status` "scheduled" needs a `publish_at`;
- `unpublish_at` must lie after `publish_at` (unless the article is a draft,
  which keeps no publish time).

The media library adds two more that a schema cannot state:

- an upload's `file` must be a real image or PDF (judged from its bytes),
  and an image needs an alt text unless it is decorative: no generated
  upload is offered as valid;
- changing an image's details needs an alt text unless `decorative`.

The site's identity (`PUT /api/v1/site`) has rules of single fields that
a pattern cannot state: white text must be readable on `brand_color`
(contrast at least 4.5:1), `cvr` and `ean` must pass their check digits,
and `logo_id` and `privacy_page_id` must name an image and a page of the
site; `statement_reviewed` may not lie after today and needs a
`statement_url`. Only a value left out, null or blank is certain to pass
them.

A redirect (`POST /api/v1/redirects`) has rules a pattern cannot state
either: `from` may not be one of the site's own addresses nor hold `//`,
`.` or `..` segments, control characters or bad percent escapes, and `to`
must parse as a URL with a host. A generated `from` or `to` not certain to
pass is mapped to one that is, made of the generated value's letters.

A best bet (`POST /api/v1/best-bets`) needs a letter or digit in its
`phrase`, and a `target` on this site needs a published page or article
there (or a title): a generated phrase is given a letter, a generated
target is mapped to an https URL made of its letters.

Here they keep schemathesis from offering such a request as valid. Nothing
else is filtered: invalid requests are still generated and must be refused.
"""

import re
from datetime import datetime, timezone

import schemathesis

# Pages keep the same two rules of status and times.
NEWS_WRITES = {
    ("POST", "/api/v1/news"),
    ("PUT", "/api/v1/news/{id}"),
    ("POST", "/api/v1/pages"),
    ("PUT", "/api/v1/pages/{id}"),
}
MEDIA_UPLOAD = ("POST", "/api/v1/media")
MEDIA_CHANGE = ("PUT", "/api/v1/media/{id}")
SITE_CHANGE = ("PUT", "/api/v1/site")
SITE_CHECKED = (
    "brand_color",
    "cvr",
    "ean",
    "logo_id",
    "privacy_page_id",
    "statement_reviewed",
)


def _time(value):
    """A time as the API reads it, or None (missing, null, blank or unread)."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    # Python reads at most six digits of a fraction of a second.
    text = re.sub(r"(\.\d{6})\d+", r"\1", text)
    try:
        parsed = datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        # Copenhagen wall-clock time: within a day of UTC is close enough
        # to order it against another time only when they are far apart.
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed


@schemathesis.hook
def filter_case(context, case):
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive:
        return True
    operation = (case.method.upper(), case.path)
    if operation == MEDIA_UPLOAD:
        return False
    if operation == MEDIA_CHANGE:
        body = case.body
        if isinstance(body, dict) and not body.get("decorative"):
            alt = body.get("alt")
            if not isinstance(alt, str) or len(alt.strip()) < 3:
                return False
        return True
    if operation == SITE_CHANGE:
        body = case.body
        if isinstance(body, dict):
            for field in SITE_CHECKED:
                value = body.get(field)
                if value is not None and not (isinstance(value, str) and not value.strip()):
                    return False
        return True
    if operation not in NEWS_WRITES:
        return True
    body = case.body
    if not isinstance(body, dict):
        return True
    status = body.get("status") or "draft"
    publish_at = _time(body.get("publish_at"))
    if status == "scheduled" and publish_at is None:
        return False
    unpublish_at = _time(body.get("unpublish_at"))
    if status != "draft" and publish_at and unpublish_at:
        # Copenhagen local times are read in UTC above: keep a margin.
        margin = abs((unpublish_at - publish_at).total_seconds())
        if unpublish_at <= publish_at or margin < 2 * 3600:
            return False
    return True


REDIRECT_CREATE = ("POST", "/api/v1/redirects")
BEST_BET_CREATE = ("POST", "/api/v1/best-bets")
# The first segments of the site's own addresses (raadhus_domain::urls::RESERVED).
RESERVED = {
    "nyheder", "hjemmesider", "soeg", "admin", "api", "static", "media", "medier",
    "was", "healthz", "sitemap.xml", "robots.txt", "favicon.ico",
}
FROM_CERTAIN = re.compile(r"^ */[a-z0-9][a-z0-9._~-]*(/[a-z0-9][a-z0-9._~-]*)* *$")
TO_CERTAIN = re.compile(r"^ *https://[a-z][a-z0-9]*(\.[a-z][a-z0-9]*)*(/[A-Za-z0-9._~-]*)* *$")


def _letters(value):
    return re.sub(r"[^a-z0-9]", "", value.lower())[:40] if isinstance(value, str) else ""


@schemathesis.hook
def map_case(context, case):
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive:
        return case
    if not isinstance(case.body, dict):
        return case
    if (case.method.upper(), case.path) == BEST_BET_CREATE:
        phrase = case.body.get("phrase")
        if isinstance(phrase, str) and not re.search(r"[^\W_]", phrase):
            case.body["phrase"] = "a" + phrase[:98]
        target = case.body.get("target")
        if isinstance(target, str) and not TO_CERTAIN.match(target):
            case.body["target"] = "https://www.example.dk/" + _letters(target)
        return case
    if (case.method.upper(), case.path) != REDIRECT_CREATE:
        return case
    source = case.body.get("from")
    if isinstance(source, str):
        first = source.strip().lstrip("/").split("/")[0]
        if not FROM_CERTAIN.match(source) or first in RESERVED:
            case.body["from"] = "/gammel-" + (_letters(source) or "side")
    target = case.body.get("to")
    if isinstance(target, str) and not TO_CERTAIN.match(target):
        case.body["to"] = "https://www.example.dk/" + _letters(target)
    return case

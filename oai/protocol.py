"""OAI-PMH 2.0 (https://www.openarchives.org/OAI/openarchivesprotocol.html).

`respond(params, base_url)` answers one request with the response document.
Records come from oai.models.Record (the datestamps and tombstones); what a
live record says is read from the published item or issue (oai/metadata.py).
Resumption tokens are stateless: the signed arguments and the last (datestamp,
id) shown, so a harvest resumes where it stopped whatever changed meanwhile.
"""

import datetime
import re
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.db.models import Min, Q
from django.urls import reverse
from django.utils import timezone
from lxml import etree

from oai import metadata
from oai.models import Record
from oai.records import SPEC_PART

NS = "http://www.openarchives.org/OAI/2.0/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"
DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
SECONDS = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
SET_SPEC = re.compile(rf"{SPEC_PART.pattern}(:{SPEC_PART.pattern})*")
RESUMPTION_SALT = "oai.resumption"
PAGE_SIZE = 100

LIST_ARGUMENTS = ({"metadataPrefix"}, {"from", "until", "set"})
# verb: (required arguments, optional arguments); resumptionToken is exclusive.
VERBS = {
    "Identify": (set(), set()),
    "ListMetadataFormats": (set(), {"identifier"}),
    "ListSets": (set(), set()),
    "GetRecord": ({"identifier", "metadataPrefix"}, set()),
    "ListIdentifiers": LIST_ARGUMENTS,
    "ListRecords": LIST_ARGUMENTS,
}
RESUMABLE = {"ListSets", "ListIdentifiers", "ListRecords"}


class OAIError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


def _el(parent, tag: str, text=None, **attrs):
    element = etree.SubElement(parent, f"{{{NS}}}{tag}", attrs)
    if text is not None:
        element.text = str(text)
    return element


def utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def repository_id() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def identifier(record: Record) -> str:
    return f"oai:{repository_id()}:{record.kind}/{record.object_id}"


def _find_record(value: str) -> Record:
    match = re.fullmatch(rf"oai:{re.escape(repository_id())}:(item|issue)/(\d+)", value)
    record = (
        Record.objects.filter(kind=match[1], object_id=int(match[2])).first()
        if match
        else None
    )
    if record is None:
        raise OAIError("idDoesNotExist", f"No record has the identifier {value}.")
    return record


def respond(params) -> bytes:
    """The response document to a request's arguments (a QueryDict)."""
    base_url = settings.SITE_URL + reverse("oai:endpoint")
    root = etree.Element(f"{{{NS}}}OAI-PMH", nsmap={None: NS, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", f"{NS} {SCHEMA}")
    _el(root, "responseDate", utc(timezone.now()))
    request = _el(root, "request", base_url)
    try:
        verb, arguments = _arguments(params)
    except OAIError as error:
        # badVerb and badArgument answers echo no arguments (protocol 3.2).
        _el(root, "error", error.message, code=error.code)
    else:
        for name, value in [("verb", verb), *sorted(arguments.items())]:
            request.set(name, value)
        try:
            root.append(HANDLERS[verb](arguments))
        except OAIError as error:
            if error.code == "badArgument":
                request.attrib.clear()
            _el(root, "error", error.message, code=error.code)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _arguments(params) -> tuple[str, dict[str, str]]:
    verbs = params.getlist("verb")
    if len(verbs) != 1 or verbs[0] not in VERBS:
        raise OAIError("badVerb", "The verb is missing, repeated or not legal.")
    verb = verbs[0]
    # `token` is the access token of bulletin's own harvesting setting.
    names = set(params) - {"verb", "token"}
    repeated = [name for name in names if len(params.getlist(name)) > 1]
    if repeated:
        raise OAIError("badArgument", f"Repeated argument: {', '.join(repeated)}.")
    arguments = {name: params[name] for name in names}
    required, optional = VERBS[verb]
    if "resumptionToken" in arguments and verb in RESUMABLE:
        if len(arguments) > 1:
            raise OAIError("badArgument", "resumptionToken is an exclusive argument.")
        return verb, arguments
    illegal = names - required - optional
    if illegal:
        raise OAIError("badArgument", f"Illegal argument: {', '.join(illegal)}.")
    missing = required - names
    if missing:
        raise OAIError("badArgument", f"Missing argument: {', '.join(missing)}.")
    return verb, arguments


def _check_prefix(prefix: str) -> None:
    if prefix not in metadata.FORMATS:
        raise OAIError(
            "cannotDisseminateFormat", f"The metadata format {prefix} is not offered."
        )


def identify(arguments) -> etree._Element:
    from issues.models import Publication

    element = etree.Element(f"{{{NS}}}Identify")
    names = Publication.objects.order_by("pk").values_list("name", flat=True)
    _el(element, "repositoryName", "; ".join(names) or "Bulletin")
    _el(element, "baseURL", settings.SITE_URL + reverse("oai:endpoint"))
    _el(element, "protocolVersion", "2.0")
    _el(element, "adminEmail", admin_email())
    earliest = Record.objects.aggregate(earliest=Min("datestamp"))["earliest"]
    _el(element, "earliestDatestamp", utc(earliest or timezone.now()))
    _el(element, "deletedRecord", "persistent")
    _el(element, "granularity", GRANULARITY)
    return element


def admin_email() -> str:
    address = getattr(settings, "OAI_ADMIN_EMAIL", "") or settings.DEFAULT_FROM_EMAIL
    if re.fullmatch(r"\S+@(\S+\.)+\S+", address):
        return address
    return f"webmaster@{repository_id()}"


def list_metadata_formats(arguments) -> etree._Element:
    if "identifier" in arguments:
        record = _find_record(arguments["identifier"])
        if record.deleted:
            raise OAIError(
                "noMetadataFormats", "The record is deleted: it has no metadata."
            )
    element = etree.Element(f"{{{NS}}}ListMetadataFormats")
    for prefix, (schema, namespace) in metadata.FORMATS.items():
        item = _el(element, "metadataFormat")
        _el(item, "metadataPrefix", prefix)
        _el(item, "schema", schema)
        _el(item, "metadataNamespace", namespace)
    return element


def list_sets(arguments) -> etree._Element:
    if "resumptionToken" in arguments:
        raise OAIError("badResumptionToken", "ListSets is answered in one response.")
    sets = metadata.sets()
    if not sets:
        # ListSets must list at least one set: with nothing published there is
        # no set hierarchy to show yet.
        raise OAIError("noSetHierarchy", "Nothing is published yet: there are no sets.")
    element = etree.Element(f"{{{NS}}}ListSets")
    for spec, name in sets:
        item = _el(element, "set")
        _el(item, "setSpec", spec)
        _el(item, "setName", name)
    return element


def get_record(arguments) -> etree._Element:
    _check_prefix(arguments["metadataPrefix"])
    record = _find_record(arguments["identifier"])
    element = etree.Element(f"{{{NS}}}GetRecord")
    _append_records(element, [record], with_metadata=True)
    return element


def _parse_moment(value: str, *, end: bool) -> tuple[datetime.datetime, str]:
    try:
        if DAY.fullmatch(value):
            day = datetime.date.fromisoformat(value)
            time = datetime.time(23, 59, 59) if end else datetime.time(0)
            return datetime.datetime.combine(day, time, datetime.UTC), "day"
        if SECONDS.fullmatch(value):
            moment = datetime.datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ")
            return moment.replace(tzinfo=datetime.UTC), "seconds"
    except ValueError:
        pass
    raise OAIError("badArgument", f"Not a UTC date or datetime: {value}.")


def _set_filter(spec: str) -> Q:
    if not SET_SPEC.fullmatch(spec):
        raise OAIError("badArgument", f"Not a setSpec: {spec}.")
    kind, _sep, value = spec.partition(":")
    if kind == "publication" and value:
        return Q(publication_spec=value)
    if kind == "section" and value:
        return Q(section_spec=value)
    if kind == "year" and value.isdigit():
        return Q(year=int(value))
    return Q(pk__in=[])


def _list_query(arguments: dict):
    """The records matching the list arguments, in (datestamp, id) order."""
    _check_prefix(arguments["metadataPrefix"])
    query = Q()
    bounds = {}
    for name, lookup in (("from", "gte"), ("until", "lte")):
        if name in arguments:
            moment, granularity = _parse_moment(arguments[name], end=name == "until")
            bounds[name] = (moment, granularity)
            query &= Q(**{f"datestamp__{lookup}": moment})
    if len(bounds) == 2:
        (start, start_granularity), (end, end_granularity) = bounds.values()
        if start_granularity != end_granularity:
            raise OAIError("badArgument", "from and until differ in granularity.")
        if start > end:
            raise OAIError("badArgument", "from is later than until.")
    if "set" in arguments:
        query &= _set_filter(arguments["set"])
    return Record.objects.filter(query).order_by("datestamp", "id")


def _resume(verb: str, token: str):
    """(arguments, cursor, last (datestamp, id) shown) that the token carries."""
    try:
        state = signing.loads(token, salt=RESUMPTION_SALT)
        if state["verb"] == verb:
            after = datetime.datetime.fromisoformat(state["after"][0])
            return state["arguments"], int(state["cursor"]), (after, state["after"][1])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        pass
    raise OAIError("badResumptionToken", "The resumptionToken is not valid.")


def _page(verb: str, arguments: dict):
    """(records of this page, the resumptionToken element's parts or None)."""
    after, cursor = None, 0
    if "resumptionToken" in arguments:
        arguments, cursor, after = _resume(verb, arguments["resumptionToken"])
    matching = _list_query(arguments)
    size = getattr(settings, "OAI_PAGE_SIZE", PAGE_SIZE)
    total = matching.count()
    if total == 0:
        raise OAIError("noRecordsMatch", "No records match the arguments.")
    remaining = matching
    if after is not None:
        remaining = matching.filter(
            Q(datestamp__gt=after[0]) | Q(datestamp=after[0], id__gt=after[1])
        )
    page = list(remaining[:size])
    if after is None and len(page) == total:
        return page, None  # one complete response: no token
    token = ""
    if page and cursor + len(page) < total:
        last = page[-1]
        token = signing.dumps(
            {
                "verb": verb,
                "arguments": arguments,
                "cursor": cursor + len(page),
                "after": [last.datestamp.isoformat(), last.pk],
            },
            salt=RESUMPTION_SALT,
            compress=True,
        )
    return page, (token, total, cursor)


def _list(verb: str, arguments: dict, *, with_metadata: bool) -> etree._Element:
    page, resumption = _page(verb, arguments)
    element = etree.Element(f"{{{NS}}}{verb}")
    _append_records(element, page, with_metadata=with_metadata)
    if resumption is not None:
        token, total, cursor = resumption
        _el(
            element,
            "resumptionToken",
            token,
            completeListSize=str(total),
            cursor=str(cursor),
        )
    return element


def _header(parent, record: Record, *, deleted: bool):
    header = _el(parent, "header", **({"status": "deleted"} if deleted else {}))
    _el(header, "identifier", identifier(record))
    _el(header, "datestamp", utc(record.datestamp))
    _el(header, "setSpec", f"publication:{record.publication_spec}")
    if record.section_spec:
        _el(header, "setSpec", f"section:{record.section_spec}")
    _el(header, "setSpec", f"year:{record.year}")
    return header


def _append_records(parent, records: list[Record], *, with_metadata: bool) -> None:
    if not with_metadata:
        for record in records:
            _header(parent, record, deleted=record.deleted)
        return
    published = metadata.load(records)
    for record in records:
        element = _el(parent, "record")
        target = published.get((record.kind, record.object_id))
        _header(element, record, deleted=target is None)
        if target is not None:
            _el(element, "metadata").append(metadata.oai_dc(record.kind, target))


HANDLERS = {
    "Identify": identify,
    "ListMetadataFormats": list_metadata_formats,
    "ListSets": list_sets,
    "GetRecord": get_record,
    "ListIdentifiers": lambda a: _list("ListIdentifiers", a, with_metadata=False),
    "ListRecords": lambda a: _list("ListRecords", a, with_metadata=True),
}

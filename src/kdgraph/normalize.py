"""Normalizers for the fields of an entry: text, titles, venues, person names, URLs, identifiers, links.

These are small, pure functions over strings. Patterns here match *fields* (an arXiv id, a year), never
document structure: structure is the readers' job, done with real Markdown and HTML parsers.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import SplitResult, parse_qs, urlsplit, urlunsplit

from .records import Identifier, LinkKind, Person, Venue, VenueKind

# --------------------------------------------------------------------------------------------- text

_FULLWIDTH = str.maketrans({"，": ",", "；": ";", "：": ":", "（": "(", "）": ")", "\u00a0": " "})
_WORD = re.compile(r"[^\W_]+")


def clean_space(text: str) -> str:
    """Collapse every run of whitespace (newlines included) to one space and trim."""
    # str.split() and str.strip() split at exactly the characters the regex class \s matches
    # (str.isspace), so this is the regex substitution, without it.
    if not text.isascii():
        text = text.translate(_FULLWIDTH)
    return " ".join(text.split())


def ascii_fold(text: str) -> str:
    """Strip accents: ``Pérez`` → ``Perez``; characters with no ASCII form are kept."""
    if text.isascii():  # ASCII is its own NFKD form and has no combining marks
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def title_key(title: str) -> str:
    """The form of a title used only for matching: folded, lower-case, punctuation-free, one-spaced."""
    folded = ascii_fold(title).casefold()
    return " ".join(_WORD.findall(folded))


_ANNOTATION = re.compile(
    r"\s*[\[(](short paper|long paper|tbd|to ?do|not published yet|oral|spotlight|demo)[\])]\s*",
    re.IGNORECASE,
)


def clean_title(raw: str) -> tuple[str, tuple[str, ...]]:
    """Split a title as written into the title and the curator's annotations.

    Annotations such as ``[short paper]``, ``[TBD]`` or ``(Not published yet)`` are the list's remarks,
    not part of the title; a trailing period or colon is list punctuation.
    """
    text = clean_space(raw)
    if "(" not in text and "[" not in text:  # no annotation (each is bracketed); the text is clean
        return text.rstrip(" .,;:"), ()
    notes = tuple(m.group(1) for m in _ANNOTATION.finditer(text))
    text = clean_space(_ANNOTATION.sub(" ", text))
    text = text.rstrip(" .,;:")
    return text, notes


# ------------------------------------------------------------------------------------------- venues

# Canonical series names by upper-cased spelling. Anything not here is kept as written.
_SERIES_ALIASES: dict[str, str] = {
    "NIPS": "NeurIPS",
    "NEURIPS": "NeurIPS",
    "ARXIV": "arXiv",
    "CORR": "arXiv",
    "ARXIV PREPRINT": "arXiv",
    "ACM MM": "ACM MM",
    "MM": "ACM MM",
    "EURO S&P": "EuroS&P",
    "EUROS&P": "EuroS&P",
    "IEEE EURO S&P": "EuroS&P",
    "S&P": "IEEE S&P",
    "IEEE S&P": "IEEE S&P",
    "PR": "Pattern Recognition",
    "PATTERN RECOGNITION": "Pattern Recognition",
    "INTERSPEECH": "Interspeech",
}
_CONFERENCES = {
    "AAAI", "ACCV", "ACL", "AISTATS", "BMVC", "CIKM", "COLING", "COLT", "CVPR", "ECCV", "ECIR", "EMNLP",
    "EuroS&P", "ICASSP", "ICCV", "ICDM", "ICIP", "ICLR", "ICME", "ICML", "ICPR", "IJCAI", "IJCNN",
    "Interspeech", "KDD", "MICCAI", "NAACL", "NeurIPS", "IEEE S&P", "SIGIR", "UAI", "USENIX Security",
    "WACV", "WSDM", "WWW", "ACM MM", "CCS", "ICRA", "IROS", "CoRL", "EACL", "AACL", "SDM", "RecSys",
    "ICKG",
}
_JOURNALS = {
    "TPAMI", "IJCV", "TIP", "TNNLS", "TMM", "TCSVT", "JMLR", "TMLR", "Pattern Recognition", "CSUR",
    "TIST", "TKDE", "TOIS", "Neurocomputing", "Neural Networks", "Nature", "Science",
}
_JOURNAL_WORDS = re.compile(r"\b(transactions|journal|magazine|letters|surveys|review)\b", re.I)
_KNOWN = {s.upper(): s for s in _CONFERENCES | _JOURNALS} | _SERIES_ALIASES
_WORKSHOP_SUFFIX = re.compile(r"^(?P<base>[A-Z]{3,})W$")
_YEAR = r"(?P<year>(?:19|20)\d{2})"
_VENUE = re.compile(
    rf"^(?P<series>.*?)[\s,'’]*{_YEAR}(?:[.\-/](?P<month>\d{{1,2}}))?(?:,\s*\w+)?"
    r"(?:\s+(?P<ws>workshops?)(?:\s+on\s+\S.*)?|\s+findings)?$",
    re.IGNORECASE,
)
_FINDINGS = re.compile(r"\bfindings(?:\s+of(?:\s+the)?)?\b", re.IGNORECASE)
_PUBLISHER = re.compile(r"^(?:IEEE/CVF|IEEE|ACM|AAAI|ACL|USENIX)\s+(?P<rest>\S.*)$", re.IGNORECASE)
_VENUE_PREFIX = re.compile(r"^(in|at|proc\.?|proceedings of( the)?)[:\s]+", re.IGNORECASE)
_WORKSHOP_WORD = re.compile(r"\bworkshops?\b", re.IGNORECASE)
_LETTER = re.compile(r"[A-Za-z]")


@lru_cache(maxsize=4096)
def canonical_series(text: str) -> tuple[str, bool]:
    """Normalize a series name: ``NIPS`` → ``NeurIPS``, ``ArXiv`` → ``arXiv``, ``ICLRW`` → ICLR workshop."""
    name = clean_space(_VENUE_PREFIX.sub("", clean_space(text))).strip(" ,.;:-[]()")
    workshop = False
    if _WORKSHOP_WORD.search(name):
        workshop = True
        name = clean_space(_WORKSHOP_WORD.sub("", name)).strip(" ,.-")
    if _FINDINGS.search(name):  # "Findings of EMNLP": the companion volume of the conference
        name = clean_space(_FINDINGS.sub("", name)).strip(" ,.-")
    m = _WORKSHOP_SUFFIX.match(name)
    if m and m.group("base") in _KNOWN and name not in _KNOWN:
        name, workshop = m.group("base"), True
    publisher = _PUBLISHER.match(name)
    if name.upper() not in _KNOWN and publisher and publisher.group("rest").upper() in _KNOWN:
        name = publisher.group("rest")  # "IEEE ICKG", "ACM TIST", "IEEE/CVF CVPR"
    return _KNOWN.get(name.upper(), name), workshop


def venue_kind(series: str | None, workshop: bool) -> VenueKind:
    if series is None:
        return "unknown"
    if series == "arXiv":
        return "preprint"
    if workshop:
        return "workshop"
    if series in _JOURNALS or _JOURNAL_WORDS.search(series):
        return "journal"
    if series in _CONFERENCES:
        return "conference"
    return "unknown"


def _trim(text: str) -> str:
    """Strip list punctuation and enclosing brackets around a venue, but keep a closing bracket that
    closes one opened inside (``ICLR 2022 (Oral)`` stays whole; ``(CSUR 2020)`` → ``CSUR 2020``)."""
    trimmed = text.strip(" ,.;:[]()")
    tail = text[text.find(trimmed) + len(trimmed):] if trimmed else ""
    for opener, closer in (("(", ")"), ("[", "]")):
        if trimmed.count(opener) > trimmed.count(closer) and closer in tail:
            trimmed += closer
    return trimmed


def _plausible_series(series: str) -> bool:
    """Whether an unknown series name reads as a venue rather than as words of a title or heading:
    it holds an acronym (``IEEE ICKG``, ``ACM TIST``), or is a journal-like name of two words or more
    (``IEEE Transactions on …``, ``… Magazine``). ``Papers``, ``Surveys`` or ``Top 10`` are not."""
    words = series.split()
    if len(words) >= 2 and _JOURNAL_WORDS.search(series):
        return True
    return len(words) <= 4 and any(sum(c.isupper() for c in w) >= 2 for w in words)


@lru_cache(maxsize=8192)
def parse_venue(text: str, *, require_known: bool = False) -> Venue | None:
    """Read a venue such as ``CVPR 2020``, ``NIPS 2017 workshop``, ``arXiv 2019.05``, ``WACV2021``,
    ``Euro S&P 2016``, ``In: ICLRW``, ``Findings of EMNLP 2020``, ``ICLR 2022 (Oral)`` or
    ``Pattern Recognition``.

    Without a year the text must name a known series. With ``require_known`` (for text that might be a
    title fragment or a heading), the series must be known or read as a venue name (an acronym, or a
    journal-like name). Annotations such as ``(Oral)`` are ignored; ``text`` keeps them.

    A pure function of its arguments, cached: a list names the same few venues again and again (the
    :class:`Venue` it returns is immutable, so records may share it).
    """
    written = _trim(clean_space(text))
    if not written or len(written) > 120:
        return None
    core = clean_space(_ANNOTATION.sub(" ", clean_space(text))).strip(" ,.;:[]()")
    m = _VENUE.match(core)
    if m:
        series, workshop = canonical_series(m.group("series"))
        workshop = workshop or bool(m.group("ws"))
        year: int | None = int(m.group("year"))
        if not series:
            return Venue(series=None, year=year, text=written, kind="unknown")
    else:
        series, workshop = canonical_series(core)
        year = None
        if series not in _KNOWN.values():
            return None
    if require_known and series not in _KNOWN.values() and not _plausible_series(series):
        return None
    if not _LETTER.search(series):
        return None
    return Venue(series=series, year=year, text=written, kind=venue_kind(series, workshop),
                 workshop=workshop)


def find_venue(text: str) -> Venue | None:
    """Find a venue inside a heading such as ``FL on ICLR 2021`` or ``[CVPR 2021]``.

    A known series followed by a year wins; else the whole text must read as a venue.
    """
    written = clean_space(text)
    for m in re.finditer(rf"\b(?P<series>[A-Za-z][\w&]*(?:\s+[\w&]+)?)\s*'?{_YEAR}\b", written):
        for candidate in (m.group("series"), m.group("series").split()[-1]):
            series, workshop = canonical_series(candidate)
            if series in _KNOWN.values():
                tail = written[m.end():]
                workshop = workshop or bool(re.match(r"\s*workshops?\b", tail, re.IGNORECASE))
                return Venue(series=series, year=int(m.group("year")), text=written,
                             kind=venue_kind(series, workshop), workshop=workshop)
    return parse_venue(written, require_known=True)


def year_only(text: str) -> int | None:
    """The year of a heading that is only a year (``2021``)."""
    m = re.fullmatch(_YEAR, clean_space(text))
    return int(m.group("year")) if m else None


_DATE = re.compile(rf"{_YEAR}(?:[-./](?:0?[1-9]|1[0-2])(?:[-./](?:0?[1-9]|[12]\d|3[01]))?)?")


_MONTH = re.compile(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?,?", re.IGNORECASE)


def date_year(text: str) -> int | None:
    """The year of a date cell or field: ``2021``, ``2023-11``, ``2023/11/05``, ``(2019.05)``,
    ``Nov 2023``."""
    written = clean_space(text).strip(" ()[].")
    m = _DATE.fullmatch(written) or _DATE.fullmatch(clean_space(_MONTH.sub(" ", written)))
    return int(m.group("year")) if m else None


_ARXIV_VENUE = re.compile(
    r"arxiv(?:\s+preprint)?\s*(?::|abs/|\s)\s*(?P<id>(?P<yy>\d{2})(?P<mm>\d{2})\.\d{4,5})(?:v\d+)?",
    re.IGNORECASE,
)


def arxiv_venue(text: str) -> tuple[Venue, Identifier] | None:
    """An arXiv identifier written as the venue (``arXiv:2104.00001``, ``arXiv preprint
    arXiv:1503.02531``): the preprint venue with the year the identifier encodes, and the identifier."""
    written = clean_space(text).strip(" ,;()[]")
    written = written[:-1] if written.endswith(".") else written
    m = _ARXIV_VENUE.fullmatch(re.sub(r"^arxiv(?:\s+preprint)?\s+(?=arxiv)", "", written, flags=re.I))
    if not m or not 1 <= int(m.group("mm")) <= 12:
        return None
    year = 2000 + int(m.group("yy"))
    return (Venue(series="arXiv", year=year, text=written, kind="preprint"),
            Identifier("arXiv", m.group("id")))


# -------------------------------------------------------------------------------------------- people

_PARTICLES = {"van", "von", "de", "der", "den", "di", "da", "del", "della", "le", "la", "du", "dos",
              "bin", "al", "ten", "ter", "y", "zu"}
_INITIALS = re.compile(r"^[A-Z]\.?(?:\s*-?\s*[A-Z]\.?)*$")
# "et al." in its many spellings: "et al", "et. al.", "et.al.", "etal", "et alii", "& al.", "and others"
_ET_AL = re.compile(r",?\s*(?:\bet\.?\s*al(?:ii|ia)?\b\.?|&\s*al\.|\band\s+others\b\.?)", re.IGNORECASE)
_GLUED = re.compile(r"^(?P<a>[A-Z][a-z]{2,})(?P<b>[A-Z][a-z]{1,})$")
_NAME_SEPARATORS = re.compile(r"\s*(?:,|;|&|\band\b)\s*")
_LINE_SEPARATORS = re.compile(r"\s*(?:,|&|\band\b|;)\s*")
_NOT_NAMES = re.compile(r"[`:!?\[\]()=/]|https?:")
_CLOSING_PERIOD = re.compile(r"(?<![A-Z])\.+$")
_NAME_PERIOD = re.compile(r"(?<!\b[A-Z])\.+$")
_GLUED_INITIAL = re.compile(r"\b([A-Z])\.(?=[A-Z][a-z])")
_FOOTNOTE = re.compile(r"[A-Za-z]\d+$")
_DIGITS_END = re.compile(r"\d+$")
_NAME_PREFIX = re.compile(r"^(Mc|Mac|De|Di|La|Le|Van|Von|Du|O)[A-Z]")
_CAPITAL = re.compile(r"[A-Z]")


@dataclass(frozen=True, slots=True)
class ParsedAuthors:
    persons: tuple[Person, ...]
    doubts: tuple[str, ...]
    et_al: bool


def _is_initials(part: str) -> bool:
    return bool(_INITIALS.match(part.strip())) and len(part.strip()) <= 12


def looks_like_names(text: str) -> bool:
    """Whether a line reads as a list of person names (used for author lines without italics)."""
    parts = [p for p in _LINE_SEPARATORS.split(clean_space(text).rstrip(". ")) if p]
    if not parts or _NOT_NAMES.search(text):
        return False
    for part in parts:
        words = part.replace(".", ". ").split()
        if not 1 <= len(words) <= 5:
            return False
        if not all(w[0].isupper() or w.lower() in _PARTICLES or w[0] in "'-" for w in words):
            return False
    return True


def _full_word(word: str) -> bool:
    return len(word) >= 2 and word[0].isupper() and word.replace("-", "").replace("'", "").isalpha()


def _mla_first(parts: list[str], et_al: bool, line: str) -> bool:
    """Whether an author list starts with one inverted name, as MLA writes it: ``Surname, Given`` then
    (if more) names in the usual order. The surname is one word and the given name one full word,
    perhaps followed by initials (``Hinton, Geoffrey E.``). Two parts are read so only before ``et al.``
    (``Chen, Guobin et al.``, ``Lopes, Raphael Gontijo et al.``); elsewhere ``Hinton, Dean`` stays two
    surnames."""
    if len(parts) < 2 or len(parts[0].split()) != 1 or not _full_word(parts[0]):
        return False
    if not re.match(rf"\s*{re.escape(parts[0])}\s*,\s*{re.escape(parts[1])}", line):
        return False  # "Attend and Tell": the surname and the given name are joined by a comma
    given = parts[1].split()
    if not given or not _full_word(given[0]):
        return False
    if len(parts) == 2:  # "Lopes, Raphael Gontijo et al.": a second given name is read only here
        return et_al and len(given) <= 3 and all(_full_word(w) or _is_initials(w) for w in given)
    if not all(_is_initials(w) for w in given[1:]):
        return False
    return all(len(p.split()) >= 2 for p in parts[2:])


def parse_authors(text: str) -> ParsedAuthors:
    """Split an author line into persons, in order.

    Handles ``A, B and C``, Oxford commas, ``&``, trailing periods, full-width commas, ``et al.`` and the
    ``Last, F.`` form (``Hinton, G., Vinyals, O., & Dean, J.`` → G. Hinton, O. Vinyals, J. Dean), and the
    MLA form with only the first author inverted (``Ba, Jimmy, and Rich Caruana``). Footnote
    digits glued to a name are removed and names glued together (``HaigangGong``) are split; both are
    reported as doubts.
    """
    doubts: list[str] = []
    line = clean_space(text).strip("*_ ")
    et_al = bool(_ET_AL.search(line))
    line = _ET_AL.sub("", line).strip()
    line = _CLOSING_PERIOD.sub("", line).strip()  # a closing period, not an initial's ("Dean, J.")
    parts = [p.strip() for p in _NAME_SEPARATORS.split(line) if p.strip()]
    # "Last, F." form: every second part is initials.
    inverted = len(parts) >= 2 and len(parts) % 2 == 0 and all(
        _is_initials(parts[i]) for i in range(1, len(parts), 2)
    ) and not any(_is_initials(parts[i]) for i in range(0, len(parts), 2))
    persons: list[Person] = []
    if not inverted and _mla_first(parts, et_al, line):
        # "Ba, Jimmy, and Rich Caruana", "Chen, Guobin et al.": the first author inverted, the rest not
        persons.append(Person(name=f"{parts[1]} {parts[0]}", as_written=f"{parts[0]}, {parts[1]}"))
        parts = parts[2:]
    if inverted:
        for i in range(0, len(parts), 2):
            letters = _CAPITAL.findall(parts[i + 1])
            joiner = "-" if "-" in parts[i + 1] else " "
            name = f"{joiner.join(c + '.' for c in letters)} {parts[i]}"
            persons.append(Person(name=clean_space(name), as_written=f"{parts[i]}, {parts[i + 1]}"))
        return ParsedAuthors(tuple(persons), tuple(doubts), et_al)
    for part in parts:
        person, part_doubts = _person(part)
        doubts.extend(part_doubts)
        if person is not None:
            persons.append(person)
    return ParsedAuthors(tuple(persons), tuple(doubts), et_al)


@lru_cache(maxsize=16384)
def _person(part: str) -> tuple[Person | None, tuple[str, ...]]:
    """One author name of an author line as written: the person (None when nothing is left of it) and
    the doubts about it. Cached: lists name the same authors again and again."""
    doubts: list[str] = []
    name = _NAME_PERIOD.sub("", part.strip()).strip()
    name = _GLUED_INITIAL.sub(r"\1. ", name)  # "J.Dean" → "J. Dean"
    if _FOOTNOTE.search(name):
        stripped = _DIGITS_END.sub("", name)
        doubts.append(f"footnote digits removed from author name {name!r} → {stripped!r}")
        name = stripped
    words = name.split()
    fixed: list[str] = []
    for word in words:
        g = _GLUED.match(word)
        if g and not _NAME_PREFIX.match(word):
            fixed.extend([g.group("a"), g.group("b")])
            doubts.append(f"author name {word!r} read as {g.group('a') + ' ' + g.group('b')!r}")
        else:
            fixed.append(word)
    name = " ".join(fixed)
    return (Person(name=name, as_written=part) if name else None), tuple(doubts)


# ------------------------------------------------------------------------------------------ bylines

_SEPARATOR = re.compile(r"[,;]|\.\s")
_ALNUM = re.compile(r"[A-Za-z0-9]")
_ARXIV_TAIL = re.compile(r"(?:^|(?<=[\s,;.(]))arxiv\b[^,;]*$", re.IGNORECASE)
_YEAR_TAIL = re.compile(rf"\s\(?{_YEAR}\)?$")
_INITIAL_END = re.compile(r"\b[A-Z]\.$")
_SENTENCE_END = re.compile(r"[.?!](?=\s+\S)")
_CAPITAL_END = re.compile(r"\b[A-Z]$")
_COMMA = re.compile(r",")
_PUBLISHER_WORDS = {"IEEE", "ACM", "PROCEEDINGS", "PROC", "CONFERENCE", "WORKSHOP", "JOURNAL",
                    "TRANSACTIONS", "PREPRINT", "SPRINGER", "ELSEVIER", "ARXIV", "OPENREVIEW"}


@dataclass(frozen=True, slots=True)
class Byline:
    """What follows a title in a citation: the author text as written (``et al.`` kept), and the venue
    or date that ends it, if any (a bare year is a venue without series)."""

    authors: str
    venue: Venue | None
    identifier: Identifier | None = None

    @property
    def et_al(self) -> bool:
        return bool(_ET_AL.search(self.authors))

    @property
    def parts(self) -> list[str]:
        return _name_parts(self.authors)


def _name_parts(text: str) -> list[str]:
    line = _ET_AL.sub("", clean_space(text)).strip(" ,;.")
    return [p for p in _NAME_SEPARATORS.split(line) if p]


def _last_chunk(text: str) -> tuple[str, str]:
    """Split text at its last separator: a comma, a semicolon, a period before a space, or the end of
    ``et al.``. Returns (head, chunk); the head is empty when there is no separator."""
    cut = 0
    for m in _SEPARATOR.finditer(text):
        cut = m.end()
    for m in _ET_AL.finditer(text):
        cut = max(cut, m.end())
    return text[:cut], text[cut:]


def _byline_venue(chunk: str) -> Venue | None:
    """A venue that ends a byline: a known series (with or without a year), a journal, or a date."""
    text = clean_space(chunk)
    if not _ALNUM.search(text):
        return None
    year = date_year(text)
    if year is not None:
        return Venue(series=None, year=year, text=text.strip(" ()[]."))
    venue = parse_venue(text, require_known=True)
    if venue is None or venue.series is None:
        return None
    if venue.series in _KNOWN.values() or venue.kind == "journal":
        return venue
    return None


def _venue_words(text: str) -> bool:
    return any(w.strip(",.;:()").upper() in _KNOWN or w.strip(",.;:()").upper() in _PUBLISHER_WORDS
               for w in text.split())


def parse_byline(text: str, *, strict: bool = False) -> Byline | None:
    """Read what follows a title as authors, then an optional venue or date: ``Author One, Author Two,
    2019``, ``A, B, CVPR 2022``, ``,A,B,2019``, ``Surname, First et al. CVPR 2020``, ``Hinton et al.
    arXiv:1503.02531``, ``A B, C D`` (no year). None when the text does not start with person names.

    With ``strict`` (for a title that has no link, where the title's own commas could be taken for
    author separators) every name must have two words or more, or the list be in ``Last, F.`` or MLA
    form.
    """
    rest = clean_space(text).strip(" ,;:-–—")
    venue: Venue | None = None
    identifier: Identifier | None = None
    m = _ARXIV_TAIL.search(rest)
    found = arxiv_venue(m.group(0)) if m else None
    if m and found:
        venue, identifier = found
        rest = rest[: m.start()]
    else:
        head, chunk = _last_chunk(rest.rstrip(" ."))
        venue = _byline_venue(chunk) if head else None
        if venue is not None:
            rest = head
            if venue.series is None:  # a bare date: a venue may stand before it ("CVPR, 2022")
                head2, chunk2 = _last_chunk(head.rstrip(" ,;."))
                series = _byline_venue(chunk2) if head2 else None
                if series is not None and series.series is not None and series.year is None:
                    venue = Venue(series=series.series, year=venue.year,
                                  text=f"{clean_space(chunk2)} {venue.text}", kind=series.kind,
                                  workshop=series.workshop)
                    rest = head2
        else:
            ym = _YEAR_TAIL.search(rest.rstrip(" ."))  # "Author Two 2019": no comma
            if ym:
                venue = Venue(series=None, year=int(ym.group("year")), text=ym.group("year"))
                rest = rest[: ym.start()]
    authors = rest.strip(" ,;:-–—")
    authors = authors[:-1] if authors.endswith(".") and not _INITIAL_END.search(authors) else authors
    parts = _name_parts(authors)
    if not parts or _venue_words(_ET_AL.sub("", authors)):
        return None
    if not looks_like_names(_ET_AL.sub("", authors)):
        return None
    if strict:
        line = _ET_AL.sub("", authors)
        full_names = all(len(p.split()) >= 2 for p in parts)
        inverted = len(parts) % 2 == 0 and all(_is_initials(parts[i]) for i in range(1, len(parts), 2))
        if not (full_names or inverted or _mla_first(parts, bool(_ET_AL.search(authors)), line)):
            return None
    return Byline(authors=authors, venue=venue, identifier=identifier)


def split_title_byline(text: str) -> tuple[str, Byline] | None:
    """Split a citation written as plain text into its title and byline.

    ``Title. Surname, First et al. CVPR 2020`` splits at the first sentence end (``.``, ``?``, ``!``)
    followed by a byline with a venue, a date, ``et al.`` or two full names; ``Title, Author One, Author
    Two, 2019`` splits at the first comma followed by a byline of full names that ends in a venue or a
    date (a title may hold commas, so a byline without either is not looked for there).
    """
    text = clean_space(text)
    for m in _SENTENCE_END.finditer(text):
        title = text[: m.start()] if m.group() == "." else text[: m.end()]
        if not title_key(title) or _CAPITAL_END.search(title):  # not after an initial
            continue
        byline = parse_byline(text[m.end():])
        if byline is None:
            continue
        if byline.venue is not None or byline.et_al or parse_byline(text[m.end():], strict=True):
            return title, byline
    for m in _COMMA.finditer(text):
        title = text[: m.start()]
        if not title_key(title):
            continue
        byline = parse_byline(text[m.end():], strict=True)
        if byline is not None and byline.venue is not None:
            return title, byline
    return None


# ---------------------------------------------------------------------------------------------- URLs


@dataclass(frozen=True, slots=True)
class NormalizedUrl:
    """A normalized URL, with the repairs made to a broken one (canonical rewrites are not listed)."""

    url: str
    repairs: tuple[str, ...]


# A URL that urlsplit splits into a scheme, a host and a path only, as written.
_PLAIN_SPLIT = re.compile(r"(?P<scheme>https?)://(?P<host>[A-Za-z0-9.-]*)(?P<path>/[^?#\s\x00-\x1f\x7f]*)?")


@lru_cache(maxsize=256)
def _split(url: str) -> SplitResult:
    """``urlsplit`` that never raises: a URL it rejects (``https://[paper]arxiv.org``) splits as a
    bare path, so it carries no host and no identifier. Cached: an entry's links are looked at
    several times in a row."""
    plain = _PLAIN_SPLIT.fullmatch(url)
    if plain is not None:  # most links: what urlsplit gives, faster
        return SplitResult(plain.group("scheme"), plain.group("host"), plain.group("path") or "", "", "")
    try:
        return urlsplit(url)
    except ValueError:
        return SplitResult("", "", url, "", "")


_ARXIV_NEW = re.compile(r"(?P<id>\d{4}\.\d{4,5})(?P<version>v\d+)?")
_ARXIV_OLD = re.compile(r"(?P<id>[a-z\-]+(?:\.[A-Z]{2})?/\d{7})(?P<version>v\d+)?")
_URL_SPACE = re.compile(r"\s")
_URL_SPACES = re.compile(r"\s+")
_URL_SCHEME = re.compile(r"^([a-z]+)://", re.IGNORECASE)
_SCHEME_TYPO = re.compile(r"h+t+p+(s*)")
_BARE_HOST = re.compile(r"^(www\.)?[a-z0-9-]+(\.[a-z0-9-]+)+(/|$)", re.IGNORECASE)
_ARXIV_PAGE = re.compile(r"^/(abs|pdf)/(.+?)(?:\.pdf)?/?$")
_ARXIV_ABS = re.compile(r"^/abs/(.+)$")
_DOI_PATH = re.compile(r"/(10\.\d{4,9}/\S+?)/?")
_DOI_IN_PATH = re.compile(r"/(10\.\d{4,9}/[^\s?#]+?)(?:\.pdf|/full|/abstract)?/?$")
_NATURE_ARTICLE = re.compile(r"^/articles/(s\d{5}-\d{3}-\d{5}-\w)$")
_OPENREVIEW_ID = re.compile(r"[\w\-]+")
_CVF_PAPER = re.compile(r"/papers/([^/]+?)_paper\.pdf$")
_ACL_PAPER = re.compile(r"/(\d{4}\.[a-z0-9]+-[a-z0-9]+\.\d+|[A-Z]\d{2}-\d{4})(?:\.pdf)?/?$")
_NEURIPS_HASH = re.compile(r"/paper/\d{4}/(?:file|hash)/([0-9a-f]{32})-")
_NEURIPS_OLD = re.compile(r"/paper/(\d+)-[\w-]+")
_PMLR_PAPER = re.compile(r"^/(v\d+)/([a-z0-9]+)(?:/|\.html)")


# A URL whose normalization only rewrites an arXiv page: http(s), a lower-case host name, a path
# without white space or a final period, no query and no fragment.
_PLAIN_URL = re.compile(r"(?P<scheme>https?)://(?P<host>[a-z0-9-]+(?:\.[a-z0-9-]+)*)(?P<path>/[^\s?#]*)?")
_ARXIV_HOSTS = ("arxiv.org", "www.arxiv.org", "export.arxiv.org")


def normalize_url(raw: str) -> NormalizedUrl | None:
    """Normalize a link target; None when there is nothing to link to.

    Fixes whitespace inside the URL, a doubled scheme letter (``hhttps``), a missing scheme, a trailing
    period, and turns arXiv PDF links into abstract pages (``/pdf/ID.pdf`` → ``/abs/ID``).
    """
    url = raw.strip()
    plain = _PLAIN_URL.fullmatch(url)
    if plain is not None:  # most links: what _normalize_url gives, faster
        path = plain.group("path") or ""
        if not path.endswith("."):
            am = _ARXIV_PAGE.match(path) if plain.group("host") in _ARXIV_HOSTS else None
            if am:
                return NormalizedUrl(f"{plain.group('scheme')}://arxiv.org/abs/{am.group(2)}", ())
            return NormalizedUrl(url, ())
    return _normalize_url(raw)


def _normalize_url(raw: str) -> NormalizedUrl | None:
    fixes: list[str] = []
    url = raw.strip()
    if not url:
        return None
    if _URL_SPACE.search(url):
        url = _URL_SPACES.sub("", url)
        fixes.append("whitespace removed from URL")
    m = _URL_SCHEME.match(url)
    if m and m.group(1).lower() not in ("http", "https", "ftp"):
        typo = _SCHEME_TYPO.fullmatch(m.group(1).lower())  # hhttps, htttp, htps, httpss
        if typo:
            fixed = "https" if typo.group(1) else "http"
            url = fixed + url[len(m.group(1)):]
            fixes.append(f"scheme {m.group(1)!r} corrected to {fixed!r}")
        else:
            fixes.append(f"unknown scheme {m.group(1)!r} left as written")
    elif not m:
        if url.startswith("//"):
            url = "https:" + url
        elif _BARE_HOST.match(url):
            url = "https://" + url
        else:
            return None if url.startswith(("#", "mailto:")) else NormalizedUrl(url, ("not a web URL",))
        fixes.append("missing scheme added")
    try:
        parts = urlsplit(url)
    except ValueError as exc:  # brackets in the host: the URL is kept as written, and said to be bad
        return NormalizedUrl(url, (*fixes, f"not a valid URL ({exc})"))
    host = parts.netloc.lower()
    path = parts.path
    if path.endswith(".") and not parts.query:
        path = path.rstrip(".")
        fixes.append("trailing period removed from URL")
    query = parts.query
    if host in ("arxiv.org", "www.arxiv.org", "export.arxiv.org"):
        am = _ARXIV_PAGE.match(path)
        if am:
            path = f"/abs/{am.group(2)}"
            host, query = "arxiv.org", ""
    scheme = parts.scheme.lower()
    return NormalizedUrl(urlunsplit((scheme, host, path, query, parts.fragment)), tuple(fixes))


@lru_cache(maxsize=1024)
def identifiers_in(url: str) -> tuple[Identifier, ...]:
    """Identifiers a (normalized) URL carries: arXiv, DOI, OpenReview, CVF, ACL Anthology, NeurIPS, PMLR."""
    parts = _split(url)
    host = parts.netloc.lower().removeprefix("www.")
    path = parts.path
    found: list[Identifier] = []
    if host == "arxiv.org":
        m = _ARXIV_ABS.match(path)
        if m:
            for pattern in (_ARXIV_NEW, _ARXIV_OLD):
                am = pattern.fullmatch(m.group(1))
                if am:
                    found.append(Identifier("arXiv", am.group("id")))
                    break
    if host in ("doi.org", "dx.doi.org"):
        dm = _DOI_PATH.fullmatch(path)
        if dm:
            found.append(Identifier("DOI", dm.group(1)))
    else:
        dm = _DOI_IN_PATH.search(path)
        if dm and host in ("dl.acm.org", "link.springer.com", "onlinelibrary.wiley.com",
                           "ieeexplore.ieee.org", "pubs.acs.org", "tandfonline.com"):
            found.append(Identifier("DOI", dm.group(1)))
        nm = _NATURE_ARTICLE.match(path)
        if host == "nature.com" and nm:
            found.append(Identifier("DOI", f"10.1038/{nm.group(1)}"))
    if host == "openreview.net":
        ids = parse_qs(parts.query).get("id")
        if ids and _OPENREVIEW_ID.fullmatch(ids[0]):
            found.append(Identifier("OpenReview", ids[0]))
    if host == "openaccess.thecvf.com":
        m = _CVF_PAPER.search(path)
        if m:
            found.append(Identifier("CVF", m.group(1)))
    if host in ("aclweb.org", "aclanthology.org"):
        m = _ACL_PAPER.search(path)
        if m:
            found.append(Identifier("ACL Anthology", m.group(1)))
    if host in ("papers.nips.cc", "proceedings.neurips.cc", "papers.neurips.cc"):
        m = _NEURIPS_HASH.search(path) or _NEURIPS_OLD.search(path)
        if m:
            found.append(Identifier("NeurIPS", m.group(1)))
    if host == "proceedings.mlr.press":
        m = _PMLR_PAPER.match(path)
        if m:
            found.append(Identifier("PMLR", f"{m.group(1)}/{m.group(2)}"))
    return tuple(found)


# --------------------------------------------------------------------------------------------- links

FRAMEWORKS: dict[str, str] = {
    "pytorch": "PyTorch",
    "torch": "Torch7",  # "[Torch]" is the Lua framework; PyTorch is written "PyTorch"
    "tensorflow": "TensorFlow",
    "tf": "TensorFlow",
    "theano": "Theano",
    "caffe": "Caffe",
    "caffe2": "Caffe2",
    "torchnet": "Torchnet",
    "keras": "Keras",
    "jax": "JAX",
    "flax": "JAX",
    "mxnet": "MXNet",
    "gluon": "MXNet",
    "paddle": "PaddlePaddle",
    "paddlepaddle": "PaddlePaddle",
    "chainer": "Chainer",
    "matlab": "MATLAB",
    "mindspore": "MindSpore",
    "lua": "Torch7",
    "torch7": "Torch7",
}

_LABEL_KINDS: tuple[tuple[LinkKind, tuple[str, ...]], ...] = (
    ("supplement", ("supp", "supplement", "supplementary", "supplemental", "appendix", "appx")),
    ("video", ("video", "talk", "youtube", "presentation video", "oral")),
    ("poster", ("poster",)),
    ("slides", ("slides", "slide", "ppt", "pptx")),
    ("project", ("project", "project page", "homepage", "home page", "website", "webpage", "demo")),
    ("code", ("code", "github", "gitlab", "official code", "implementation", "repo", "repository",
              "source")),
    ("paper", ("paper", "pdf", "arxiv", "page", "article", "openreview", "abs", "abstract",
               "proceedings", "doi", "acm", "ieee", "springer", "preprint", "title")),
)
_CODE_HOSTS = ("github.com", "gitlab.com", "bitbucket.org", "gitee.com", "huggingface.co")
_VIDEO_HOSTS = ("youtube.com", "youtu.be", "vimeo.com", "bilibili.com")


_LABEL_SPLIT = re.compile(r"[^a-z0-9]+")
_TRAILING_DIGITS = re.compile(r"\d+$")


def _label_words(label: str) -> list[str]:
    text = clean_space(label).strip("[]() ").lower()
    return [w for w in _LABEL_SPLIT.split(text) if w]


@lru_cache(maxsize=4096)
def _label_kind(label: str) -> tuple[LinkKind, str | None] | None:
    """The kind of a link (and a code link's framework) as its label names it; None when the label
    does not say. Cached: labels (``[Paper]``, ``[PyTorch]``) repeat all through a list."""
    written = _label_words(label)
    words = [_TRAILING_DIGITS.sub("", w) or w for w in written]
    for as_written, word in zip(written, words, strict=True):
        if as_written in FRAMEWORKS:  # "caffe2" is a framework of its own; "pytorch2" is not
            return "code", FRAMEWORKS[as_written]
        if word in FRAMEWORKS:
            return "code", FRAMEWORKS[word]
    phrase = " ".join(words)
    for kind, names in _LABEL_KINDS:
        if phrase in names or any(w in names for w in words):
            return kind, None
    return None


def classify_link(label: str, url: str) -> tuple[LinkKind, str | None]:
    """The kind of a link (and a code link's framework) from its label, falling back on its URL.

    ``[PyTorch]``, ``[Pytorch2]``, ``[TensorFlow code]`` → code with that framework; ``[Code]`` → code,
    framework unknown; ``[paper_tobe_updated]`` → paper; ``[Supp]`` → supplement.
    """
    named = _label_kind(label)
    if named is not None:
        return named
    host = _split(url).netloc.lower().removeprefix("www.")
    if host in _CODE_HOSTS:
        return "code", None
    if host in _VIDEO_HOSTS:
        return "video", None
    if identifiers_in(url) or _split(url).path.lower().endswith(".pdf"):
        return "paper", None
    return "other", None


def code_repository(url: str) -> str | None:
    """The repository a code link belongs to (``host/owner/repo``, lower-cased), or None."""
    parts = _split(url)
    host = parts.netloc.lower().removeprefix("www.")
    segments = [s for s in parts.path.split("/") if s]
    if host in _CODE_HOSTS and len(segments) >= 2:
        repo = segments[1].removesuffix(".git")
        return f"{host}/{segments[0]}/{repo}".lower()
    return None

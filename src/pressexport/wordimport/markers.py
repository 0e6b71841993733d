"""The words that mark the parts of a press release typed in Word, in the six UN languages.

Each language's table holds the variants agencies print. English follows wire-service practice
(AP: `###` and `-30-`; UN agencies: `-ENDS-`). The label strings pressexport itself prints in a
language (pressexport.i18n) are recognised too, so a language's catalogue, once added, is read
back without a change here. Where each non-English phrase is printed is said beside it; the
month and weekday names of dates come from CLDR (see dates.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from pressexport import i18n

LANGUAGES = ("en", "fr", "es", "ru", "zh-Hans", "ar")


@dataclass(frozen=True)
class Phrases:
    """One language's markers (lowercase; matched at the start of a paragraph)."""

    release: tuple[str, ...] = ()  # a "PRESS RELEASE" heading: recognised, not imported
    immediate: tuple[str, ...] = ()
    embargo: tuple[str, ...] = ()  # followed by the time and date
    end: tuple[str, ...] = ()  # the end mark, the whole paragraph
    contacts: tuple[str, ...] = ()  # opens the contacts
    about: tuple[str, ...] = ()  # followed by the organisation's name
    notes: tuple[str, ...] = ()
    phone: tuple[str, ...] = ()  # labels before a phone number
    email: tuple[str, ...] = ()  # labels before an email address


TABLE = {
    "en": Phrases(
        release=("press release", "news release", "media release"),
        immediate=("for immediate release", "immediate release", "for release"),
        embargo=("embargoed until", "embargoed:", "embargo:", "under embargo until",
                 "not for publication before", "embargoed"),
        end=("-ends-", "ends", "end", "###", "-30-", "30"),
        contacts=("for further information", "for more information", "media contacts",
                  "media contact", "press contacts", "press contact", "contacts", "contact"),
        about=("about",),
        notes=("notes to editors", "note to editors", "notes for editors", "note for editors",
               "editors' notes", "editor's note", "editors’ notes", "editor’s note"),
        phone=("tel.", "tel", "phone", "telephone", "mobile", "mob.", "mob", "cell", "m"),
        email=("email", "e-mail", "mail"),
    ),
    # UNICEF's French releases (unicef.org/fr): "Communiqué de presse", "Pour plus
    # d'informations, veuillez contacter", "À propos de l'UNICEF", "Notes aux rédactions";
    # Québec releases end "-30-" (Canada Newswire, French releases); "Sous embargo jusqu'au"
    # heads embargoed releases of UNESCO (unesco.org/fr).
    "fr": Phrases(
        release=("communiqué de presse", "communiqué"),
        immediate=("pour diffusion immédiate", "pour publication immédiate",
                   "diffusion immédiate"),
        embargo=("sous embargo jusqu'au", "sous embargo jusqu’au", "sous embargo jusqu'à",
                 "sous embargo jusqu’à", "embargo jusqu'au", "embargo jusqu’au", "sous embargo"),
        end=("fin", "-fin-", "-30-", "30"),
        contacts=("pour plus d'informations", "pour plus d’informations",
                  "pour de plus amples informations", "contacts presse", "contact presse",
                  "contacts médias", "contact médias", "contacts", "contact"),
        about=("à propos de", "à propos d'", "à propos d’", "a propos de"),
        notes=("notes aux rédactions", "note aux rédactions", "notes à l'intention des rédactions",
               "notes à l’intention des rédactions", "notes aux éditeurs", "note aux éditeurs"),
        phone=("tél.", "tél", "tel.", "téléphone", "portable", "mobile"),
        email=("courriel", "e-mail", "email", "mél.", "mél"),
    ),
    # UNICEF's Spanish releases (unicef.org/es): "Comunicado de prensa", "Para más información,
    # por favor contactar", "Acerca de UNICEF", "Notas para los editores"; PR Newswire's Spanish
    # releases: "Para publicación inmediata".
    "es": Phrases(
        release=("comunicado de prensa", "nota de prensa", "comunicado"),
        immediate=("para publicación inmediata", "para difusión inmediata",
                   "para su publicación inmediata", "para su difusión inmediata"),
        embargo=("embargado hasta", "bajo embargo hasta", "embargo hasta", "embargo:"),
        end=("fin", "-fin-", "###"),
        contacts=("para más información", "para obtener más información", "contactos de prensa",
                  "contacto de prensa", "contacto para medios", "contactos para medios",
                  "contactos", "contacto"),
        about=("acerca de", "sobre"),
        notes=("notas para los editores", "nota para los editores", "notas a los editores",
               "nota a los editores", "notas para los redactores", "nota para los redactores"),
        phone=("tel.", "tel", "teléfono", "móvil", "celular", "cel."),
        email=("correo electrónico", "correo-e", "correo", "email", "e-mail"),
    ),
    # UNICEF's Russian releases (unicef.org/ru): "Пресс-релиз", "Для получения дополнительной
    # информации", "О ЮНИСЕФ", "Примечания для редакторов"; "Для немедленной публикации" and
    # "Эмбарго до" head releases of the UN Information Centre in Moscow (unic.ru).
    "ru": Phrases(
        release=("пресс-релиз", "пресс релиз"),
        immediate=("для немедленной публикации", "для немедленного распространения",
                   "для немедленного опубликования"),
        embargo=("эмбарго до", "не для публикации до", "под эмбарго до"),
        end=("конец", "###"),
        contacts=("для получения дополнительной информации", "дополнительная информация",
                  "контакты для сми", "контактная информация", "контактное лицо", "контакты"),
        about=("об ", "о "),
        notes=("примечания для редакторов", "примечание для редакторов",
               "примечания для редакции", "примечание для редакции", "для редакторов"),
        phone=("тел.", "тел", "телефон", "моб.", "мобильный"),
        email=("эл. почта", "электронная почта", "e-mail", "email"),
    ),
    # UNICEF's Chinese releases (unicef.org/china): "新闻稿", "关于联合国儿童基金会",
    # "编者注", "如需更多信息，请联系"; Xinhua's wire copy ends "（完）".
    "zh-Hans": Phrases(
        release=("新闻稿", "新闻公报"),
        immediate=("即时发布", "供即时发布", "立即发布"),
        embargo=("禁发至", "禁发时间", "新闻禁发至", "发布时间不早于"),
        end=("完", "-完-", "（完）", "(完)"),
        contacts=("如需更多信息", "如需了解更多信息", "欲了解更多信息", "更多信息请联系",
                  "媒体联系人", "媒体联络", "联系人", "联系方式"),
        about=("关于",),
        notes=("编者注", "编辑注", "编者按", "致编辑"),
        phone=("电话", "手机", "移动电话"),
        email=("电子邮件", "电子邮箱", "邮箱", "email", "e-mail"),
    ),
    # UNICEF's Arabic releases (unicef.org/mena/ar): "بيان صحفي", "للمزيد من المعلومات،
    # يرجى التواصل مع", "نبذة عن اليونيسف", "ملاحظات للمحررين"; "للنشر الفوري" and
    # "انتهى" in releases of UN Information Centre Cairo (unic-eg.org).
    "ar": Phrases(
        release=("بيان صحفي", "بيان صحافي", "بيان إعلامي"),
        immediate=("للنشر الفوري", "للنشر فورا", "للنشر فوراً"),
        embargo=("محظور النشر حتى", "يحظر النشر حتى", "حظر النشر حتى", "ممنوع النشر قبل"),
        end=("انتهى", "-انتهى-", "###"),
        contacts=("للمزيد من المعلومات", "لمزيد من المعلومات", "لمزيد من المعلومات، يرجى الاتصال",
                  "للاستفسارات الإعلامية", "جهات الاتصال", "جهة الاتصال", "للتواصل"),
        about=("نبذة عن", "حول"),
        notes=("ملاحظات للمحررين", "ملاحظة للمحررين", "ملاحظات إلى المحررين"),
        phone=("هاتف", "الهاتف", "جوال", "الجوال", "هاتف محمول"),
        email=("البريد الإلكتروني", "بريد إلكتروني", "email", "e-mail"),
    ),
}

KINDS = ("release", "immediate", "embargo", "end", "contacts", "about", "notes", "phone",
         "email")
SEPARATORS = " \t:：,，.-–—"


def normal(text: str) -> str:
    """Lowercase, one space for any run of whitespace, no surrounding blanks."""
    return " ".join(text.split()).lower()


@cache
def phrases(kind: str) -> tuple[str, ...]:
    """Every variant of `kind` in every language, the pressexport labels included, longest
    first so that the most specific wins."""
    found = {p for table in TABLE.values() for p in getattr(table, kind)}
    for tag in LANGUAGES:
        found |= set(_label_phrases(i18n.labels(tag), kind))
    return tuple(sorted((normal(p) for p in found if p.strip()), key=len, reverse=True))


def _label_phrases(labels: i18n.Labels, kind: str) -> list[str]:
    """What pressexport prints for `kind` (a label's text before its first placeholder)."""
    fields = {"immediate": ("immediate",), "embargo": ("embargoed",), "end": ("end_mark",),
              "contacts": ("contact", "contacts"), "about": ("about",), "notes": ("notes",),
              "phone": ("phone",), "email": ("email",)}
    return [getattr(labels, name).split("{")[0] for name in fields.get(kind, ())]


def opening(kind: str, text: str) -> str | None:
    """The rest of `text` after a `kind` marker it starts with, or None."""
    plain = normal(text)
    for phrase in phrases(kind):
        if plain.startswith(phrase):
            rest = plain[len(phrase):]
            # A Latin-script phrase must end at a word boundary ("contact" is not "contacted").
            if rest and phrase[-1].isalpha() and phrase.isascii() and rest[0].isalnum():
                continue
            return _original_rest(text, len(plain) - len(rest)).lstrip(SEPARATORS)
    return None


def _original_rest(text: str, consumed: int) -> str:
    """`text` after as many characters as its normalised form consumed."""
    words = " ".join(text.split())
    return words[consumed:]


def is_end_mark(text: str) -> bool:
    """`-ENDS-`, `###`, `-30-`, `– 30 –`, `-完-`, `（完）`: the whole paragraph."""
    plain = normal(text)
    if re.fullmatch(r"#{3,}", plain.replace(" ", "")):
        return True
    core = re.sub(r"[\s\-–—_*()（）\[\]]", "", plain)
    return bool(core) and any(core == re.sub(r"[\s\-–—_*()（）#]", "", p) or plain == p
                              for p in phrases("end"))


def is_heading_like(text: str, words: int = 12) -> bool:
    """A short line, or one that ends with a colon: a marker standing as a heading, not a
    sentence of the body that happens to start with the same word."""
    plain = text.strip()
    return (len(plain.split()) <= words and len(plain) <= 120) or plain.endswith((":", "："))

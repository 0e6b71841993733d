"""A release in each of the six UN languages, for the language tests.

The texts are transcribed from releases and statements that UN bodies published in those
languages (source URL above each), as the stored copies we could read show them: paragraphs are
whole and in order, but a copy may have lost typographic details (straight for curly quotes).
Where a fixture needs a structure the original lacks (a list, a quote) its own sentences are
rearranged, never new ones written. Phone numbers and email addresses are placeholders under
example.org. The Chinese fixture is the suite's own invented test text (tests/samples.py).
The English release is the seed (source/releases/).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import ROOT, SEED_SLUG, write_release
from samples import CHINESE, CHINESE_SLUG

AR = "2020-07-28-unami-statement-ar"
FR = "2025-02-07-hrc-drc-special-session-fr"
ES = "2023-05-12-iom-unhcr-americas-es"
RU = "2004-12-26-sg-spokesperson-tsunami-ru"
ZH = CHINESE_SLUG
EN = SEED_SLUG
SLUGS = {"ar": AR, "fr": FR, "es": ES, "ru": RU, "zh-Hans": ZH, "en": EN}

#: The organisation's official name in each language (the UN's own usage), and its short name.
SITE_TEXT = """\
organization:
  name:
    en: United Nations
    fr: Organisation des Nations Unies
    es: Naciones Unidas
    ru: Организация Объединенных Наций
    ar: الأمم المتحدة
    zh-Hans: 联合国
  short_name:  # Arabic and Chinese name the UN in full: the same text, so it is shown once
    en: UN
    fr: ONU
    es: ONU
    ru: ООН
    ar: الأمم المتحدة
    zh-Hans: 联合国
  url: https://www.un.org/
"""

# https://iraq.un.org/ar/node/124985 — UNAMI press statement, Baghdad, 28 July 2020. The
# second paragraph's last sentence is set as a quote and its first two as a list, so that the
# right-to-left layout of both is exercised; the contact's Latin name is the one the statement
# prints beside the Arabic.
AR_PARAGRAPHS = (
    "رداً على ادعاءات متداولة عن إدلاء الممثلة الخاصة للأمين العام للأمم المتحدة في العراق "
    "السيدة جينين هينيس بلاسخارت ببيانٍ أمام مجلس الأمن الدولي بشأن المظاهرات الأخيرة،",
    "تؤكد بعثة الأمم المتحدة لمساعدة العراق (يونامي) أن الممثلة الأممية الخاصة لم تقدم أي "
    "تقريرٍ أو بيانٍ لمجلس الأمن بشأن هذه المظاهرات.",
    "إن يونامي تراقب الوضع وتقف إلى جانب حق المتظاهرين بالتعبير السلمي عن مطالبهم المشروعة.",
    "ونحن ندعو الآن، كما دعونا دائماً، إلى حماية المتظاهرين السلميين.",
)
AR_LATIN_NAME = "Samir Ghattas"
AR_PHONE = "+964 790 000 0000"
ARABIC = f"""\
# Source: https://iraq.un.org/ar/node/124985
headline: بيان صادر عن بعثة الأمم المتحدة لمساعدة العراق (يونامي)
date: 2020-07-28
dateline: بغداد
language: ar
body: |
  {AR_PARAGRAPHS[0]}

  - {AR_PARAGRAPHS[1]}
  - {AR_PARAGRAPHS[2]}

  > {AR_PARAGRAPHS[3]}
contacts:
  - name: {AR_LATIN_NAME}
    role: المتحدث الرسمي/ مدير مكتب الاتصال والإعلام
    organization: بعثة الأمم المتحدة لمساعدة العراق
    phone: "{AR_PHONE}"
    email: press-ar@example.org
"""

# https://ungeneva.org/fr/news-media/meeting-summary/2025/02/high-commissioner-human-rights-civilians-east-democratic
# — UN Geneva, Human Rights Council, 37th special session (February 2025; the stored copy
# shows no day: the test dates it the 7th).
FR_HEADLINE = (
    "Session extraordinaire du Conseil sur la situation des droits de l’homme dans l’est de la "
    "République démocratique du Congo : M. Türk alerte sur le risque d’escalade de la violence "
    "dans toute la sous-région")
FR_PARAGRAPHS = (
    "Le Conseil des droits de l’homme a ouvert ce matin sa trente-septième session "
    "extraordinaire, consacrée à la situation des droits de l’homme dans l’est de la République "
    "démocratique du Congo. Dans sa déclaration d’ouverture de la session, M. Volker Türk, "
    "Haut-Commissaire aux droits de l’homme, a rappelé que le Haut-Commissariat aux droits de "
    "l’homme avait tiré la sonnette d’alarme à l’égard de cette crise depuis longtemps.",
    "Depuis le début de l’année, a indiqué M. Türk, le groupe armé M23, soutenu par les Forces "
    "rwandaises de défense, a intensifié son offensive dans les provinces du Nord-Kivu et du "
    "Sud-Kivu. En ce moment, les tensions augmentent dans le Sud-Kivu et, si rien n’est fait, le "
    "pire est peut-être encore à venir pour les habitants de l’est, mais aussi au-delà de la RDC, "
    "a-t-il déclaré.",
    "Il y a eu des attaques par le M23 et leurs alliés, des armes lourdes utilisées dans des "
    "zones peuplées, et des combats intenses avec les forces armées de la RDC et leurs alliés, a "
    "poursuivi le Haut-Commissaire. « Tout cela est gravement préoccupant quant au respect des "
    "droits humains, et du droit international humanitaire et je condamne toutes les violations "
    "et abus », a-t-il déclaré, soulignant qu’encore une fois dans ce conflit accablant, les "
    "civils sont pris au piège de la spirale de violence.",
)

# https://iom.int/es/news/las-americas-en-una-encrucijada-oim-y-acnur-piden-una-respuesta-colaborativa-para-las-personas-refugiadas-y-migrantes
# — IOM and UNHCR, Geneva (May 2023, after the end of Title 42; the stored copy shows no date:
# the test dates it 12 May 2023).
ES_HEADLINE = ("Las Américas en una encrucijada: OIM y ACNUR piden una respuesta colaborativa "
               "para las personas refugiadas y migrantes")
ES_PARAGRAPHS = (
    "La Organización Internacional para las Migraciones (OIM) y la Agencia de la ONU para los "
    "Refugiados (ACNUR) instan a adoptar un enfoque colaborativo para una mejor respuesta a los "
    "movimientos mixtos de refugiados y migrantes en las Américas. OIM y ACNUR ven con "
    "beneplácito las iniciativas positivas para ampliar el reasentamiento y otras vías de acceso "
    "regulares en la región. Sin embargo, expresan su preocupación por las nuevas restricciones "
    "que afectan el acceso al asilo tras el levantamiento, largamente esperado, de la orden de "
    "salud pública del Título 42 por parte de Estados Unidos.",
    "Aunque el número de personas que se acerca a la frontera estadounidense ha aumentado en los "
    "últimos años, la mayoría de las personas en situación de movilidad humana en las Américas "
    "sigue siendo acogida por países de América Latina. Ningún país puede resolver de forma "
    "aislada los retos que suponen los movimientos de refugiados y migrantes.",
)

# The Secretary-General's spokesperson, New York, 26 December 2004, as un.org/russian published
# it (stored copy: fanyjok.com/ru/sg/annan_messages/2004/tsunami04.shtml, a mirror of
# un.org/russian/sg/annan_messages/2004/tsunami04.shtml).
RU_HEADLINE = ("Заявление Пресс-секретаря бывшего Генерального секретаря Кофи Аннана в связи "
               "с землетрясением")
RU_PARAGRAPHS = (
    "Генеральный секретарь был глубоко опечален, узнав о массовой гибели людей и "
    "широкомасштабных разрушениях, вызванных произошедшей сегодня в западной части Тихого и "
    "Индийского океанов серией землетрясений и цунами. Он выражает свои искренние соболезнования "
    "населению и правительствам пострадавших стран, сталкивающимся с катастрофическими по "
    "масштабам потерями.",
    "Организация Объединенных Наций готова оказать необходимую помощь для удовлетворения "
    "потребностей, возникших в результате этих стихийных бедствий. Группы Организации "
    "Объединенных Наций по оценке чрезвычайного положения и координации деятельности "
    "направляются во все районы региона для взаимодействия с правительствами пострадавших стран "
    "в проведении спасательных работ и оказании чрезвычайной помощи.",
)


def _release(headline: str, date: str, dateline: str, language: str, paragraphs: tuple[str, ...],
             source: str, extra: str = "") -> str:
    body = "\n\n".join(paragraphs).replace("\n", "\n  ")
    quoted = headline.replace('"', '\\"')
    return (f"# Source: {source}\nheadline: \"{quoted}\"\ndate: {date}\ndateline: {dateline}\n"
            f"language: {language}\n{extra}body: |\n  {body}\n")


RELEASES = {
    AR: ARABIC,
    FR: _release(FR_HEADLINE, "2025-02-07", "Genève", "fr", FR_PARAGRAPHS,
                 "https://ungeneva.org/fr/news-media/meeting-summary/2025/02/"
                 "high-commissioner-human-rights-civilians-east-democratic",
                 # The contact: UN Geneva by its official French name; the number a placeholder.
                 "contacts:\n  - name: Office des Nations Unies à Genève\n"
                 "    phone: +41 22 000 00 00\n"),
    ES: _release(ES_HEADLINE, "2023-05-12", "Ginebra", "es", ES_PARAGRAPHS,
                 "https://iom.int/es/news/las-americas-en-una-encrucijada-oim-y-acnur-piden-una-"
                 "respuesta-colaborativa-para-las-personas-refugiadas-y-migrantes"),
    RU: _release(RU_HEADLINE, "2004-12-26", "Нью-Йорк", "ru", RU_PARAGRAPHS,
                 "un.org/russian/sg/annan_messages/2004/tsunami04.shtml"),
    ZH: CHINESE.replace(f"translations:\n  en: {'2024-11-20-sample-every-construct'}\n", ""),
}
#: Each language's body paragraphs, as every format must show them.
PARAGRAPHS = {"ar": AR_PARAGRAPHS, "fr": FR_PARAGRAPHS, "es": ES_PARAGRAPHS, "ru": RU_PARAGRAPHS}


def languages_workspace(folder: Path) -> Path:
    """The sample workspace with one release in each UN language and the site's name in each."""
    shutil.copytree(ROOT / "source", folder / "source")
    site = folder / "source" / "site.yaml"
    text = site.read_text(encoding="utf-8")
    start, end = text.index("organization:"), text.index("\nsite:")
    site.write_text(text[:start] + SITE_TEXT + text[end:], encoding="utf-8")
    for slug, text in RELEASES.items():
        write_release(folder, slug, text)
    return folder

"""The pieces of the street-address patterns (`StreetAddressRecognizer`)."""

from __future__ import annotations

from guardrails.recognizers.text_patterns import LETTERS, MONTHS_DAYS, NOT_NAME

# Building blocks (Presidio matches with the `regex` module, so \p{Lu} is any capital letter:
# Latin, Greek, Cyrillic). Words are case-sensitive: "the way" is not "Way".
CAP = rf"\p{{Lu}}(?:[{LETTERS}]{{0,3}}\.(?=[ \t]*[\d\p{{Lu}}])|[{LETTERS}'’-]*+)"
"""a capitalised word; a trailing full stop only as an abbreviation ("St. Omers", "Avda. Rio")"""
PARTICLE = r"(?:de|del|della|delle|dei|degli|des|du|da|do|dos|das|di|la|le|les|el|al|van|von|der|den|ten|ter|y|e|i|na|nad|pod|am|an|im|auf|sur|sous)"
"""lower-case words inside street and place names ("Avenue du Golf", "Mora de Rubielos")"""
NAMEW = rf"(?:{NOT_NAME}{CAP}|{PARTICLE}(?=[ \t])|[dl]['’]\p{{Lu}}[{LETTERS}-]*)"
SUFFIX = (
    # USPS Publication 28 street suffixes (the common ones) and their abbreviations
    r"(?:Street|Streets|St|Str|Avenue|Ave|Av|Road|Roads|Rd|Lane|Ln|Drive|Drives|Dr|Boulevard|Blvd|Court|Courts|Ct|"
    r"Way|Ways|Place|Pl|Terrace|Ter|Circle|Circles|Cir|Highway|Hwy|Parkway|Parkways|Pkwy|Square|Squares|Sq|"
    r"Trail|Trl|Crescent|Close|Row|Walk|Walks|Plaza|Pike|Ridge|Ridges|Run|Alley|Loop|Gardens|Garden|Mews|Hill|"
    r"Hills|Park|Parks|Green|Greens|Heights|Vale|View|Views|Vista|Port|Ports|Ville|Point|Points|Crossing|"
    r"Crossroad|Estate|Estates|Manor|Manors|Meadow|Meadows|Isle|Island|Islands|Junction|Junctions|Spur|Spurs|"
    r"Stravenue|Tunnel|Village|Villages|Well|Wells|Rapid|Rapids|Center|Centers|Forge|Forges|Shoal|Shoals|"
    r"Field|Fields|Glen|Glens|Flat|Flats|Falls|Ferry|Fort|Freeway|Gateway|Harbor|Harbors|Haven|Creek|Cove|"
    r"Coves|Corner|Corners|Camp|Branch|Bridge|Brook|Brooks|Burg|Burgs|Bypass|Canyon|Cape|Causeway|Cliff|"
    r"Cliffs|Club|Common|Commons|Course|Crest|Curve|Dale|Dam|Divide|Expressway|Extension|Ford|Fords|Forest|"
    r"Fork|Forks|Grove|Groves|Hollow|Inlet|Key|Keys|Knoll|Knolls|Lake|Lakes|Landing|Light|Lights|Lock|Locks|"
    r"Lodge|Mall|Mill|Mills|Mission|Motorway|Mount|Mountain|Neck|Orchard|Oval|Overpass|Pass|Passage|Path|"
    r"Pine|Pines|Plain|Plains|Prairie|Ranch|River|Route|Shore|Shores|Skyway|Spring|Springs|Station|Stream|"
    r"Summit|Trace|Track|Turnpike|Underpass|Union|Unions|Valley|Valleys|Viaduct|Walkway|Wharf)\b\.?"
)
PREFIX = (
    # street types written before the name (French, Italian, Spanish, Portuguese, Catalan, Polish,
    # Slovenian/Croatian, Czech, Greek, Romanian, Indonesian) and their abbreviations
    r"(?:Rue|rue|Via|Viale|Vicolo|Piazza|Piazzale|Corso|Largo|Strada|Rua|rua|Rúa|rúa|Avenida|Avda\.|Av\.?|"
    r"Travessa|Praça|Estrada|Alameda|Calle|C/|Carrer|Camino|Paseo|Passeig|Plaza|Ronda|Vía|Avenue|avenue|"
    r"Boulevard|boulevard|Bd|Chemin|chemin|Allée|Impasse|Place|Quai|Cours|ul\.|Ul\.|ulica|Ulica|al\.|Al\.|"
    r"Aleja|aleja|pl\.|Plac|plac|os\.|Osiedle|trg|Trg|Náměstí|nám\.|Λεωφόρος|Οδός|Οδος|Πλατεία|Str\.|Calea|"
    r"Bulevardul|Jalan|Jl\.|Pasaje|Rodovia|Viela|Vereda|Contrada|Borgo|Aleea|Intrarea|Carrera|Cra\.|Diagonal|"
    r"Transversal|impasse|allée|quai)"
)
COMPOUND = (
    # a street type joined to the name ("Kopfhölzistrasse", "Magasinsgatan", "Sludevej", "Tawastintie")
    rf"\p{{Lu}}[{LETTERS}-]{{2,}}(?:strasse|straße|str\.|gasse|weg|allee|platz|damm|ufer|steig|pfad|gatan|"
    r"vägen|väg|gränd|veien|vegen|vegur|gata|vej|gade|stræde|tie|katu|kuja|polku|laan|straat|plein|gracht|"
    r"dijk|singel|utca|braut|stígur|cesta|ulica|tänav|kaari|rinne|dreef|backen|torget|stigen|svingen|"
    r"vænget|ranta|sétány|caddesi|sokak|sokağı)\b"
)
TYPE_AFTER = (
    # a separate street-type word after the name ("Wesselényi u. 94", "Stensås terrasse 38")
    r"(?:u\.|út|útja|utca|körút|tér|sor|terrasse|tee|tänav|gata|gatan|vej|vei|veien|vegen|gate|cesta|ulica|"
    r"straße|strasse|weg|allee|laan|straat|kuja|tie|katu|polku|köz|sétány|sokak|sk\.|caddesi|cd\.|mnt\.?)"
)
UNIT = r"\b(?:[Aa]pt\.?|Apartment|[Ss]uite|Ste\.?|Unit|Floor|Fl\.?)(?:[ \t]*#[ \t]*|[ \t]+)(?:\d\w{0,5}|[A-Z]\d{0,4})\b"
NUM = r"(?<![\w$.,/-])\d{1,6}[A-Za-z]?(?:[ \t]+\d{1,6})?(?![\w%])"
"""a house number, or two numbers ("370 3911": a lot or unit number before the house number)"""
BLDG = r"\d{1,4}[A-Za-z]?(?![\w%(-]|[,.]\d)\.?"
"""a building number after a European street name ("Dalmatinova 68", "u. 94.")"""
SEP = r"[ \t]*(?:,[ \t]*(?:\n[ \t?•·*]*)*|(?:\n[ \t?•·*]*)+(?:,[ \t]*)?)"
"""between address lines: a comma, line breaks (bulleted or not), or both ("\n, CO\n 70079")"""
PART = (
    rf"(?:{UNIT}|\((?:\p{{Lu}}[{LETTERS}]*)\)|{NAMEW}(?!:)|nan\b|\d{{3,6}}(?:-\d{{3,4}})?\b|"
    r"\d{2}(?=[ \t]+\d{3,6}\b)|[A-Z]\d[A-Z][ \t]?\d[A-Z]\d\b)"
)
"""a word of a unit, city, region, country or postcode line (not a "Mobile:" label)"""
TAIL = rf"(?:{SEP}{PART}(?:[ \t]+{PART}){{0,4}}){{0,5}}"
INLINE = rf"(?:,?[ \t]+{UNIT})*(?:[ \t]+(?:{CAP}|{PARTICLE}(?=[ \t]+\p{{Lu}})|\d{{3,6}}\b)){{0,4}}"
"""units and a city/region/postcode on the same line ("Apt. 892 GUÉRET LI")"""
US_STREET = rf"{NUM}(?:[ \t]+{NAMEW}){{1,4}}?[ \t]+{SUFFIX}"
EU_STREET = (
    rf"(?:{NUM}[ \t]+)?(?:{PREFIX}[ \t]+(?:{NAMEW}[ \t]+){{0,4}}{NAMEW}|(?:{NAMEW}[ \t]+){{0,2}}{COMPOUND}|"
    rf"(?:{NAMEW}[ \t]+){{0,2}}[{LETTERS}]+[ \t]+{TYPE_AFTER})[ \t]+{BLDG}"
)
NAME_ALONE = rf"(?!{MONTHS_DAYS}){NOT_NAME}\p{{Lu}}\p{{Ll}}[{LETTERS}'’-]++"
"""a street name without a house number before it ("Ziegelgasse 19"): a word of three letters or more, not a month"""
PREFIX_NUMBERED = rf"{NUM}[ \t]+{PREFIX}[ \t]+(?:{NAMEW}|\p{{Ll}}+)(?:[ \t]+{NAMEW}){{0,4}}"
NAME_NUMBER = rf"{NUM}(?:[ \t]+{NAMEW}){{1,4}}[ \t]+{BLDG}"
TITLE_CASE_WORD = (
    r"(?:Of|The|To|And|For|In|On|At|A|An|You|Your|Is|Are|With|From|By|Or|My|Our|How|What|Why|When|Ways?|Tips|"
    r"Steps|Reasons|Things|Top|Best|Years?|Months?|Weeks?|Days?|Hours?|Minutes?|Percent|Times?)\b"
)
"""words of a Title Case headline ("5 Musicians Of The 70s"), not of a street name"""
AFTER_DOC_WORD = (
    r"(?<!\b(?:Chapter|Section|Sec\.|Page|Part|Step|Table|Line|Form|Box|No\.|Publication|Pub\.|Article|Item|"
    r"Schedule|Worksheet|Appendix|Figure|Exhibit|Rule|Code|Title|Notice|Question|Example|Lesson|Tier|Age|Ages|"
    r"Year|Years)[ \t])"
)
NAME_NUMBER_STRICT = (
    rf"{AFTER_DOC_WORD}(?<![\w$.,/-])\d{{2,6}}(?:[ \t]+\d{{1,6}})?(?:[ \t]+(?:(?!{MONTHS_DAYS}|{TITLE_CASE_WORD}){NOT_NAME}"
    rf"\p{{Lu}}\p{{Ll}}[{LETTERS}'’-]*+|{PARTICLE}(?=[ \t]))){{1,3}}[ \t]+(?!(?:19|20)\d\d\b)\d{{1,4}}(?![\w%(-]|[,.]\d)\.?"
)
"""a house number, one to three capitalised words and a building number ("87818 Dalmatinova 68"):
an address shape on its own, unless a document word ("Chapter 1 Traditional IRAs 5") or a date
("25 Feb 2022") explains the numbers"""
LOWER_STOP = (
    r"(?:a|an|the|and|or|but|in|on|at|to|of|for|with|by|from|as|is|are|was|be|i|my|me|we|you|it|this|that|"
    r"times?|years?|months?|weeks?|days?|hours?|percent|more|less|than|kids|children|dollars|shares|loans?|plans?|"
    r"please|thanks|when|if|then|so|after|before|about|per|each|every|other|another|form|forms|line|lines|box|page|"
    r"part|section|chapter|table|schedule|worksheet|publication|pub|step|item|rule|code|notice|subtract|add|enter|"
    r"see|minus|plus|age|ages|tier|level|option|fund|funds)\b"
)
LOWER_WORD = rf"(?!{LOWER_STOP})[\p{{Ll}}][{LETTERS}'’.-]*+"
LOWER_ADDRESS = (
    # the whole text is in lower case ("meet me at 2407 tawastintie 6, sé, portugal"): no capital letter anywhere
    rf"(?<![\w$.,/-])(?=\d\d)(?!(?:19|20)\d\d\b)(?!.*\p{{Lu}})(?<!\p{{Lu}}.*)\d{{2,6}}(?:[ \t]+{LOWER_WORD}){{1,4}}?"
    rf"(?:[ \t]+\d{{1,4}}(?![\w%(-]|[,.]\d)\.?|[ \t]+(?:street|st\.|avenue|ave\.|road|rd\.|drive|lane|boulevard|blvd))"
    rf"(?:,?[ \t]+(?:apt\.?|suite|unit)[ \t]+\d{{1,6}})*(?:[ \t]+{LOWER_WORD}){{0,4}}"
    rf"(?:(?:,[ \t]*|[ \t]*\n[ \t,]*)(?:{LOWER_WORD}|\(\p{{Ll}}+\)|\d{{3,6}})(?:[ \t]+(?:{LOWER_WORD}|\(\p{{Ll}}+\)|\d{{3,6}})){{0,3}}){{0,4}}"
)
STREETISH = (
    rf"(?:{US_STREET}|{EU_STREET}|{PREFIX_NUMBERED}|{NAME_NUMBER}|(?:{NUM}[ \t]+)?(?:{PREFIX}[ \t]+)?{NAMEW}"
    rf"(?:[ \t]+{NAMEW}){{0,3}}(?:[ \t]+{BLDG})?)"
)

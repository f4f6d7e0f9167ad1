"""The words of page furniture in the languages wires write in: data, one row per language and kind.

Each entry is a phrase (a regular-expression fragment, matched without regard to case) that a whole
paragraph of furniture starts with or consists of (for ``embed`` and ``rights``: plain words found
anywhere in a short paragraph); :mod:`pipelines.furniture` gives each kind its
shape (a "see also" heading may be followed by the title it links to, a credit line by a name, ...)
and bounds its length, so a story sentence that merely uses the words is kept. Every language's
phrases apply to every page: pages misdeclare their language, and no phrase here is a whole paragraph
of a story in another language. To add a language, add its row; to add a kind, give it a shape there.

Kinds:
- ``see_also``: headings of cross-links and teaser lists ("Lesen Sie auch", "À lire aussi");
- ``newsletter``: newsletter boxes;
- ``appeal``: donation and subscription appeals, error-report and rating boxes;
- ``embed``: placeholders of embedded content waiting for consent;
- ``credit``: photo, graphic and source credit lines ("Foto: dpa", "Quelle: AFP");
- ``video``: video teasers;
- ``notice``: reading times, "advertisement" labels;
- ``rights``: copyright notices ("Alle Rechte vorbehalten", "無断転載を禁じます").
"""

from __future__ import annotations

PHRASES: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "see_also": (r"read (?:more|also|next)", r"see also", r"also read",
                     r"related(?: articles?| stories| coverage| content)?", r"more on this(?: story)?",
                     r"recommended(?: videos?| stories| reading)?", r"you (?:may|might) also like",
                     r"most read", r"up next", r"more from [\w .'-]{1,40}"),
        "newsletter": (r"sign up (?:for|to) (?:our|the) [\w ]{0,40}newsletter", r"newsletter sign-?up"),
        "appeal": (r"support (?:our|independent|quality) journalism", r"donate now",
                   r"become a (?:member|subscriber)", r"subscribe now", r"found an error\?"),
        "embed": ("this content is not available", "this content is blocked", "embedded content",
                  "click to load the content", "to view this content"),
        "credit": (r"photos?", r"image", r"picture", r"source", r"credit", r"graphic"),
        "video": (r"video", r"watch(?: the video)?", r"watch now"),
        "notice": (r"\d{1,2} min(?:ute)?s? read", r"reading time:? \d{1,2} min(?:ute)?s?"),
        "rights": (r"all rights reserved",),
    },
    "de": {
        "see_also": (r"lesen sie (?:auch|mehr)", r"mehr zum thema", r"auch interessant",
                     r"das könnte sie auch interessieren", r"weitere artikel", r"weiterlesen",
                     r"mehr lesen", r"zum thema", r"zum artikel", r"verwandte artikel", r"meistgelesen",
                     r"mehr themen(?: auf [\w.-]+)?", r"exklusive [\w -]{0,40}– für sie recherchiert",
                     r"mehr dazu", r"siehe auch", r"empfehlungen der redaktion"),
        "newsletter": (r"newsletter(?: abonnieren)?", r"abonnieren sie (?:jetzt )?unseren [\w-]*newsletter",
                       r"jetzt (?:den |unseren )?[\w-]*newsletter abonnieren"),
        "appeal": (r"unabhängiger journalismus braucht", r"jetzt unterstützen",
                   r"unterstützen sie (?:uns|unseren journalismus|unabhängigen journalismus)",
                   r"jetzt abonnieren", r"\d+ (?:wochen|monate) (?:kostenlos|gratis) (?:testen|lesen)",
                   r"fehler gefunden\?", r"wie hat ihnen (?:dieser|der) artikel gefallen\?",
                   r"durchschnittliche bewertung"),
        "embed": ("ein klick für den datenschutz", "externer inhalt", "von drittanbietern",
                  "um diesen inhalt zu sehen", "um externe inhalte anzuzeigen",
                  "dieser inhalt ist nicht verfügbar"),
        "credit": (r"fotos?", r"bild(?:er)?", r"quelle", r"grafik", r"infografik", r"foto \[m\]"),
        "video": (r"video", r"zum video", r"mehr videos", r"video abspielen"),
        "notice": (r"lesedauer:? (?:ca\. )?\d{1,2} min(?:uten?|\.)?", r"anzeige", r"werbung"),
        "rights": (r"alle rechte vorbehalten",),
    },
    "fr": {
        "see_also": (r"à lire aussi", r"a lire aussi", r"lire aussi", r"voir aussi", r"sur le même sujet",
                     r"à voir aussi", r"lire la suite", r"les plus lus", r"pour aller plus loin",
                     r"en savoir plus", r"à découvrir"),
        "newsletter": (r"inscrivez-vous à (?:notre|la) newsletter", r"recevez (?:notre|la) newsletter",
                       r"newsletter"),
        "appeal": (r"soutenez(?:-nous| notre journalisme| notre rédaction)", r"faites un don",
                   r"abonnez-vous"),
        "embed": (r"contenu externe", r"ce contenu n'est pas disponible", r"pour afficher ce contenu"),
        "credit": (r"photos?", r"crédits?(?: photo)?", r"source", r"illustration"),
        "video": (r"vidéo", r"voir la vidéo", r"regarder la vidéo"),
        "notice": (r"passer la publicité", r"publicité", r"temps de lecture\s?: \d{1,2} min"),
        "rights": (r"tous droits réservés",),
    },
    "es": {
        "see_also": (r"lee también", r"lea también", r"leer más", r"te puede interesar",
                     r"le puede interesar", r"más información", r"noticias relacionadas", r"ver también",
                     r"contenido relacionado", r"lo más leído", r"te recomendamos"),
        "newsletter": (r"suscríbete a (?:nuestro|la) (?:boletín|newsletter)",
                       r"recibe (?:nuestro|el) boletín"),
        "appeal": (r"apoya (?:el|nuestro) periodismo", r"haz una donación", r"suscríbete"),
        "embed": (r"contenido externo", r"este contenido no está disponible"),
        "credit": (r"fotos?", r"fuente", r"imagen", r"crédito"),
        "video": (r"vídeo", r"video", r"ver vídeo"),
        "notice": (r"publicidad", r"tiempo de lectura:? \d{1,2} min"),
        "rights": (r"todos los derechos reservados",),
    },
    "it": {
        "see_also": (r"leggi anche", r"leggi pure", r"potrebbe interessarti", r"ti potrebbe interessare",
                     r"articoli correlati", r"vedi anche", r"leggi di più", r"i più letti", r"approfondisci"),
        "newsletter": (r"iscriviti alla (?:nostra )?newsletter",),
        "appeal": (r"sostieni (?:il nostro giornalismo|l'informazione)", r"abbonati"),
        "embed": (r"contenuto esterno",),
        "credit": (r"foto", r"fonte", r"immagine"),
        "video": (r"video", r"guarda il video"),
        "notice": (r"pubblicità",),
        "rights": (r"tutti i diritti riservati",),
    },
    "pt": {
        "see_also": (r"leia também", r"leia mais", r"veja também", r"saiba mais", r"notícias relacionadas",
                     r"leia a seguir", r"mais lidas"),
        "newsletter": (r"assine (?:a|nossa) newsletter", r"inscreva-se (?:na|em nossa) newsletter"),
        "appeal": (r"apoie o jornalismo", r"assine já"),
        "embed": (r"conteúdo externo",),
        "credit": (r"fotos?", r"fonte", r"imagem", r"crédito"),
        "video": (r"vídeo", r"assista(?: ao vídeo)?"),
        "notice": (r"publicidade",),
        "rights": (r"todos os direitos reservados",),
    },
    "nl": {
        "see_also": (r"lees ook", r"lees meer", r"meer over dit onderwerp", r"zie ook",
                     r"gerelateerde artikelen", r"meest gelezen"),
        "newsletter": (r"schrijf je in voor (?:onze|de) nieuwsbrief", r"nieuwsbrief"),
        "appeal": (r"steun (?:ons|onafhankelijke journalistiek)", r"word abonnee", r"doneer"),
        "embed": (r"externe inhoud",),
        "credit": (r"foto", r"beeld", r"bron"),
        "video": (r"video", r"bekijk de video"),
        "notice": (r"advertentie",),
        "rights": (r"alle rechten voorbehouden",),
    },
    "no": {
        "see_also": (r"les også", r"les mer", r"se også", r"mest lest"),
        "newsletter": (r"meld deg på (?:vårt )?nyhetsbrev", r"nyhetsbrev"),
        "appeal": (r"bli abonnent", r"støtt (?:oss|journalistikken)"),
        "embed": (r"eksternt innhold",),
        "credit": (r"foto", r"kilde", r"grafikk"),
        "video": (r"video", r"se video(?:en)?"),
        "notice": (r"annonse",),
    },
    "da": {
        "see_also": (r"læs også", r"læs mere", r"se også", r"mest læste"),
        "newsletter": (r"tilmeld dig (?:vores )?nyhedsbrev", r"nyhedsbrev"),
        "appeal": (r"bliv abonnent", r"støt (?:os|journalistikken)"),
        "embed": (r"eksternt indhold",),
        "credit": (r"foto", r"kilde", r"grafik"),
        "video": (r"video", r"se video(?:en)?"),
        "notice": (r"annonce",),
    },
    "sv": {
        "see_also": (r"läs också", r"läs även", r"läs mer", r"se även", r"mest läst"),
        "newsletter": (r"prenumerera på (?:vårt )?nyhetsbrev", r"nyhetsbrev"),
        "appeal": (r"bli prenumerant", r"stöd (?:oss|journalistiken)"),
        "embed": (r"externt innehåll",),
        "credit": (r"foto", r"bild", r"källa", r"grafik"),
        "video": (r"video", r"se video(?:n)?"),
        "notice": (r"annons",),
    },
    "pl": {
        "see_also": (r"czytaj (?:też|także|więcej)", r"zobacz (?:też|także)", r"polecamy"),
        "credit": (r"fot\.?", r"zdjęcie", r"źródło"),
        "video": (r"wideo", r"zobacz wideo"),
        "notice": (r"reklama",),
    },
    "cs": {
        "see_also": (r"čtěte (?:také|více)", r"mohlo by vás zajímat", r"související články", r"článek"),
        "credit": (r"foto", r"zdroj"),
        "video": (r"video",),
        "notice": (r"reklama",),
    },
    "tr": {
        "see_also": (r"ilgili haberler", r"ayrıca okuyun", r"bunlar da ilginizi çekebilir",
                     r"daha fazla oku", r"önerilen haberler"),
        "newsletter": (r"bültenimize abone olun", r"e-bülten"),
        "credit": (r"fotoğraf", r"foto", r"kaynak"),
        "video": (r"video", r"videoyu izle"),
        "notice": (r"reklam",),
        "rights": (r"tüm hakları saklıdır",),
    },
    "ru": {
        "see_also": (r"читайте (?:также|по теме)", r"смотрите также", r"подробнее", r"читать далее",
                     r"самое читаемое"),
        "newsletter": (r"подпишитесь на (?:нашу )?рассылку",),
        "credit": (r"фото", r"источник"),
        "video": (r"видео",),
        "notice": (r"реклама",),
        "rights": (r"все права защищены",),
    },
    "ar": {
        "see_also": (r"اقرأ أيض[اً]+", r"مواضيع ذات صلة", r"اقرأ المزيد"),
        "credit": (r"صورة", r"المصدر"),
        "rights": (r"جميع الحقوق محفوظة",),
    },
    "ja": {
        "see_also": (r"関連記事", r"[あ合]わせて読みたい", r"こちらもおすすめ", r"続きを読む",
                     r"もっと見る", r"関連ニュース"),
        "credit": (r"写真", r"出典", r"提供"),
        "video": (r"動画",),
        "notice": (r"広告",),
        "rights": ("無断転載",),
    },
    "ko": {
        "see_also": (r"관련\s?기사", r"함께 읽으면 좋은 기사", r"많이 본 뉴스", r"추천 기사"),
        "credit": (r"사진", r"자료", r"출처"),
        "video": (r"영상",),
        "notice": (r"기사 url이 복사되었습니다\.?", r"광고"),
        "rights": ("재배포 금지", "재배포금지"),
    },
    "zh": {
        "see_also": (r"相[关關](?:阅读|閱讀|新[闻聞]|文章)", r"延伸[阅閱][读讀]", r"推[荐薦][阅閱][读讀]",
                     r"更多[报報][导導]"),
        "credit": (r"[图圖]片?(?:来源|來源)?", r"[来來]源", r"摄影"),
        "video": (r"[视視]频", r"影片"),
        "notice": (r"广告", r"廣告"),
        "rights": ("版权所有", "版權所有"),
    },
}

//! The word lists the synthetic municipality is written from.

/// Subjects of news: the form used in titles, the definite form used in
/// sentences.
pub(crate) const SUBJECTS: &[(&str, &str)] = &[
    ("ny cykelsti", "den nye cykelsti"),
    ("ny legeplads", "den nye legeplads"),
    ("renovering af skolen", "renoveringen af skolen"),
    ("bedre snerydning", "vinterens snerydning"),
    ("nyt bibliotek", "det nye bibliotek"),
    ("større plejecenter", "udvidelsen af plejecentret"),
    ("ny svømmehal", "den nye svømmehal"),
    (
        "længere åbent på genbrugspladsen",
        "de nye åbningstider på genbrugspladsen",
    ),
    ("ny busrute", "den nye busrute"),
    ("flere pladser i dagplejen", "de ekstra pladser i dagplejen"),
    ("havnebad", "havnebadet"),
    ("nyt sundhedshus", "det nye sundhedshus"),
    ("kunstgræsbane", "den nye kunstgræsbane"),
    ("natursti langs åen", "naturstien langs åen"),
    ("separatkloakering", "separatkloakeringen"),
    ("nye boliger ved stationen", "de nye boliger ved stationen"),
    ("ny affaldsordning", "den nye affaldsordning"),
    ("sikker skolevej", "den mere sikre skolevej"),
    ("ny ungdomsklub", "den nye ungdomsklub"),
    ("klimasikring af byen", "klimasikringen af byen"),
    (
        "ladestandere til elbiler",
        "de nye ladestandere til elbiler",
    ),
    ("ny hal til foreningerne", "den nye hal til foreningerne"),
    (
        "fællesspisning på ældrecentret",
        "fællesspisningen på ældrecentret",
    ),
    ("ny skatepark", "den nye skatepark"),
    ("renere badevand", "arbejdet for renere badevand"),
];

pub(crate) const PLACES: &[&str] = &[
    "Egelund",
    "Strandby",
    "Havnsø",
    "Bakkely",
    "Nørreskov",
    "Lyngholm",
    "Søholm",
    "Rødkilde",
    "Vestervig Mark",
    "Ålbæk Strand",
    "Kirkeby",
    "Møllerup",
    "Fjordbakken",
    "Østerå",
    "Lindved",
    "Tranekær",
    "Hvidsten",
    "Kærby",
];

pub(crate) const GROUPS: &[&str] = &[
    "beboerne",
    "forældrene",
    "de ældre",
    "pendlerne",
    "skoleeleverne",
    "de lokale erhvervsdrivende",
    "foreningerne",
    "børnefamilierne",
    "cyklisterne",
    "de frivillige",
    "lokalrådet",
    "de unge",
];

pub(crate) const DEPARTMENTS: &[&str] = &[
    "Teknik og Miljø",
    "Børn og Unge",
    "Kultur og Fritid",
    "Social og Sundhed",
    "Plan og Byg",
    "Borgerservice",
    "Vej og Park",
];

/// Title templates: `{t}` subject (title form), `{s}` subject (definite),
/// `{p}` place, `{m}` month, `{g}` group.
pub(crate) const TITLES: &[&str] = &[
    "{t} i {p}",
    "{t} i {p} åbner i {m}",
    "Byrådet siger ja til {t} i {p}",
    "Borgermøde om {t} i {p}",
    "Giv din mening om {t}",
    "Forsinkelse på {s} i {p}",
    "Nu går arbejdet med {s} i {p} i gang",
    "{p} får {t}",
    "Tilskud sikrer {t} i {p}",
    "Status på {s}: tidsplanen holder",
    "Kommunen søger borgere til følgegruppe om {s}",
    "{g} i {p} glæder sig over {s}",
    "Sådan bliver {s} i {p}",
];

pub(crate) const LEADS: &[&str] = &[
    "Byrådet har givet grønt lys til {s} i {p}. Arbejdet går i gang i {m}.",
    "Nu kan {g} i {p} se frem til {s}.",
    "Kommunen inviterer til dialog om {s}. Kom med dine idéer og spørgsmål.",
    "Arbejdet med {s} i {p} er forsinket, men kommunen regner stadig med at blive færdig i år.",
    "{s} i {p} er et skridt nærmere, efter at planen har været i høring.",
    "Efter en lang proces er der nu enighed om {s}.",
];

pub(crate) const SENTENCES: &[&str] = &[
    "Kommunen har besluttet at gå videre med {s} i {p}.",
    "Arbejdet begynder efter planen i {m} og ventes at være færdigt inden for et år.",
    "Projektet koster {n} mio. kr. og er en del af budgetaftalen.",
    "{g} i området har længe efterspurgt en bedre løsning.",
    "I perioden kan der være støj og omkørsel i dagtimerne.",
    "Byrådet har afsat penge til projektet i det kommende budget.",
    "Du kan se tegningerne i borgerservice og på biblioteket i {p}.",
    "{d} står for arbejdet i tæt samarbejde med de lokale foreninger.",
    "Målet er at gøre hverdagen lettere for {g} i hele kommunen.",
    "Der bliver holdt et åbent møde i {p} den {day}. {m}, hvor alle er velkomne.",
    "Forslaget har været i høring, og der kom {n} høringssvar.",
    "Kommunen forventer, at {s} bliver brugt flittigt fra første dag.",
    "Hvis du har spørgsmål, er du velkommen til at kontakte kommunen.",
    "Der er tale om en midlertidig løsning, indtil en varig plan er klar.",
    "Projektet er blevet til i dialog med {g} og lokalrådet i {p}.",
    "Vejret kan betyde, at tidsplanen bliver rykket en smule.",
    "Erfaringerne fra lignende projekter i nabokommunerne er gode.",
    "Det er første gang, kommunen prøver denne model, og den bliver evalueret efter et år.",
    "Entreprenøren har fået besked på at tage hensyn til skolebørn og cyklister.",
    "Der er lagt vægt på, at løsningen skal være let at vedligeholde.",
    "Materialerne er valgt, så de holder i mange år og kan genbruges.",
    "Der bliver plantet nye træer og buske, når arbejdet er færdigt.",
    "Alle husstande i området får et brev med de vigtigste datoer.",
    "Politikerne i udvalget for {d} var enige om forslaget.",
];

pub(crate) const LIST_INTROS: &[&str] = &[
    "Det betyder projektet for dig:",
    "Det sker i de kommende måneder:",
    "Sådan kan du følge med:",
    "Det er godt at vide:",
];

pub(crate) const LIST_ITEMS: &[&str] = &[
    "Der bliver sat skilte op med omkørsel.",
    "Du kan parkere på pladsen ved hallen.",
    "Du kan tilmelde dig nyheder om projektet på kommunens hjemmeside.",
    "Renovationen kører som normalt.",
    "Der bliver holdt et informationsmøde i {m}.",
    "Skolebørn får en sikker rute i hele perioden.",
    "Naboer får besked i Digital Post, inden arbejdet begynder.",
    "Der er adgang for kørestole hele vejen.",
    "Busserne kører efter en ændret køreplan.",
    "Åbningstiderne bliver udvidet om aftenen.",
    "Arbejdet foregår på hverdage mellem kl. 7 og 17.",
    "Adgangen til butikkerne er åben hele tiden.",
];

pub(crate) const QUOTES: &[&str] = &[
    "Vi er rigtig glade for, at vi nu kan komme i gang. Det har været efterspurgt i mange år.",
    "Det her er en investering i fremtiden, og den kommer alle aldersgrupper til gode.",
    "Vi har lyttet til borgerne, og det kan man se i den endelige plan.",
    "Der bliver nok lidt bøvl undervejs, men resultatet bliver godt.",
    "Vi gør det i tæt samarbejde med {g}, og det er vigtigt for os.",
    "Jeg håber, at rigtig mange vil komme forbi og se det færdige resultat.",
];

pub(crate) const FIRST_NAMES: &[&str] = &[
    "Anne", "Mette", "Karin", "Sofie", "Lene", "Hanne", "Birgit", "Ida", "Freja", "Louise",
    "Camilla", "Signe", "Henrik", "Torben", "Jonas", "Anders", "Mads", "Søren", "Lars", "Peter",
    "Jens", "Morten", "Rasmus", "Niels", "Bo", "Ole", "Kasper", "Mikkel", "Thomas", "Jørgen",
];

pub(crate) const LAST_NAMES: &[&str] = &[
    "Holm",
    "Nielsen",
    "Jensen",
    "Damsgaard",
    "Kjærsgaard",
    "Lykkegaard",
    "Bøgh",
    "Refsgaard",
    "Brandt",
    "Vibholm",
    "Østergaard",
    "Andersen",
    "Madsen",
    "Lund",
    "Skov",
    "Bak",
    "Krogh",
    "Thomsen",
    "Friis",
    "Dahl",
];

pub(crate) const JOB_TITLES: &[&str] = &[
    "borgmester",
    "kommunaldirektør",
    "vejchef",
    "skolechef",
    "ældrechef",
    "kultur- og fritidschef",
    "erhvervschef",
    "pressechef",
    "projektleder",
    "landskabsarkitekt",
    "trafikplanlægger",
    "dagtilbudsleder",
    "kommunikationsmedarbejder",
    "udvalgsformand",
    "byplanlægger",
];

pub(crate) const TOPICS: &[&str] = &[
    "Skoler",
    "Dagtilbud",
    "Biblioteker",
    "Kultur",
    "Museer",
    "Idræt og motion",
    "Natur og friluftsliv",
    "Ældre",
    "Sundhed",
    "Erhverv",
    "Job og uddannelse",
    "Unge",
    "Musik",
    "Affald og genbrug",
    "Veje og trafik",
    "Byggeri",
    "Klima og miljø",
    "Borgerservice",
    "Handicap",
    "Familie",
    "Frivillighed",
    "Turisme",
    "Bolig",
    "Beredskab",
    "Landdistrikter",
    "Havne",
    "Kollektiv trafik",
    "Demokrati",
    "Digitalisering",
    "Integration",
];

/// Kinds of institution with a website, with the topic (index into
/// [`TOPICS`]) they are listed under and a description.
pub(crate) const INSTITUTIONS: &[(&str, usize, &str)] = &[
    (
        "Skole",
        0,
        "Folkeskole for 0.–9. klasse med fokus på fællesskab og faglighed.",
    ),
    (
        "Børnehus",
        1,
        "Integreret institution med vuggestue og børnehave tæt på skoven.",
    ),
    (
        "Bibliotek",
        2,
        "Lokalbibliotek med lektiecafé, arrangementer og selvbetjening.",
    ),
    (
        "Kulturhus",
        3,
        "Koncerter, foredrag og udstillinger for hele familien.",
    ),
    (
        "Museum",
        4,
        "Egnens historie fra stenalder til industrisamfund.",
    ),
    (
        "Idrætscenter",
        5,
        "Haller, fitness og baner til foreninger og motionister.",
    ),
    (
        "Naturcenter",
        6,
        "Guidede ture, naturskole og udlån af kanoer.",
    ),
    (
        "Plejecenter",
        7,
        "Plejeboliger, daghjem og aktiviteter for ældre.",
    ),
    (
        "Sundhedscenter",
        8,
        "Genoptræning, rygestop og hjælp til et sundere liv.",
    ),
    (
        "Erhvervshus",
        9,
        "Vejledning til iværksættere og virksomheder.",
    ),
    ("Jobcenter", 10, "Hjælp til at finde job eller uddannelse."),
    (
        "Ungdomsskole",
        11,
        "Valgfag, klubaftener og ture for unge mellem 13 og 18 år.",
    ),
    (
        "Musikskole",
        12,
        "Undervisning i sang og instrumenter for børn og voksne.",
    ),
    (
        "Genbrugsplads",
        13,
        "Åbningstider, sortering og storskrald.",
    ),
    (
        "Legeplads",
        6,
        "Offentlig legeplads med bålhytte og toiletter.",
    ),
];

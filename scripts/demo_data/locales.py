"""The locales of the demo population, with their countries read from the seed.

A locale is a population of leads: a country (code, English name, market, time
zone and currency from ``seeds/reference/country_markets.csv``, the seed the dbt
project maps countries with) and what the seed does not hold: a weight, the e-mail
top-level domain and legal suffix of companies, first and last names in the
country's own script, cities. Spain has two locales (Catalan names in Catalonia);
the last locale is the unknown country (about 1% of leads).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from scripts.demo_data import sql

ROOT = Path(__file__).resolve().parent.parent.parent
COUNTRY_SEED = ROOT / "seeds" / "reference" / "country_markets.csv"
UNKNOWN_COUNTRY_TEXTS = ("Atlantis", "", None, "Unknown", "N/A")


@dataclass(frozen=True)
class Locale:
    """A population of leads: country code, names in their own script, cities."""

    code: str  # a country_code of the seed; '' for the unknown country
    weight: int
    tld: str
    legal_suffix: str
    first_names: tuple[str, ...]
    last_names: tuple[str, ...]
    cities: tuple[str, ...]
    # Explicit romanisation for names not written in Latin script.
    romanized: dict[str, str] = field(default_factory=dict)
    # Russian-style surnames take a suffix for women (Петров -> Петрова).
    female_first_names: frozenset[str] = frozenset()
    female_suffix: tuple[str, str] = ("", "")  # (native, ascii)
    german_folding: bool = False  # ä -> ae, ö -> oe, ü -> ue for e-mails

    def first_ascii(self) -> list[str]:
        return [self.romanized.get(n) or ascii_fold(n, self.german_folding)
                for n in self.first_names]

    def last_ascii(self) -> list[str]:
        return [self.romanized.get(n) or ascii_fold(n, self.german_folding)
                for n in self.last_names]

    def suffixes(self, ascii_form: bool = False) -> list[str]:
        """The surname suffix after each first name ('' for most)."""
        suffix = self.female_suffix[1 if ascii_form else 0]
        return [suffix if n in self.female_first_names else "" for n in self.first_names]


@dataclass(frozen=True)
class Country:
    """A row of the country seed, with its standard-time offset."""

    code: str
    name: str
    market: str
    currency: str
    tz_minutes: int  # minutes east of UTC in standard time

    @property
    def tz_text(self) -> str:
        """The offset as written in timestamps: '+05:30', '-03:00'."""
        sign = "+" if self.tz_minutes >= 0 else "-"
        return f"{sign}{abs(self.tz_minutes) // 60:02d}:{abs(self.tz_minutes) % 60:02d}"


# The unknown country: no code, name or market; UTC; amounts in USD.
UNKNOWN_COUNTRY = Country("", "", "unknown", "USD", 0)


LOCALES: tuple[Locale, ...] = (
    Locale(
        "US", 30, ".com", "Inc.",
        ("James", "Mary", "Michael", "Jennifer", "Robert", "Linda", "David", "Sarah",
         "Emily", "Daniel", "Jessica", "Christopher"),
        ("Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Garcia",
         "Wilson", "Anderson", "Taylor", "Thomas"),
        ("New York", "San Francisco", "Austin", "Chicago", "Boston", "Seattle", "Denver",
         "Atlanta"),
    ),
    Locale(
        "CA", 5, ".ca", "Inc.",
        ("Liam", "Olivia", "Noah", "Emma", "Chloé", "Mathieu", "Geneviève", "Ethan"),
        ("Tremblay", "Gagnon", "Roy", "Côté", "Bouchard", "MacDonald", "Campbell",
         "Wilson"),
        ("Toronto", "Montréal", "Vancouver", "Calgary", "Ottawa", "Québec"),
    ),
    Locale(
        "MX", 4, ".com.mx", "S.A. de C.V.",
        ("José", "Guadalupe", "Alejandro", "Sofía", "Fernando", "Mariana", "Luis",
         "Ximena"),
        ("Hernández", "García", "Martínez", "López", "González", "Rodríguez", "Pérez",
         "Sánchez"),
        ("Ciudad de México", "Guadalajara", "Monterrey", "Puebla", "Querétaro"),
    ),
    Locale(
        "BR", 5, ".com.br", "Ltda.",
        ("João", "Maria", "Antônio", "Francisca", "Lucas", "Beatriz", "Thiago",
         "Letícia"),
        ("Conceição", "Silva", "Santos", "Oliveira", "Souza", "Araújo", "Gonçalves",
         "Pereira"),
        ("São Paulo", "Rio de Janeiro", "Belo Horizonte", "Brasília", "Curitiba",
         "Porto Alegre"),
    ),
    Locale(
        "AR", 3, ".com.ar", "S.A.",
        ("Martín", "Valentina", "Santiago", "Lucía", "Facundo", "Camila"),
        ("González", "Fernández", "Romero", "Sosa", "Álvarez", "Benítez"),
        ("Buenos Aires", "Córdoba", "Rosario", "Mendoza"),
    ),
    Locale(
        "GB", 8, ".co.uk", "Ltd",
        ("Oliver", "Amelia", "Harry", "Isla", "George", "Charlotte", "Jack", "Sophie"),
        ("Smith", "Jones", "Taylor", "Brown", "Evans", "Davies", "Wright", "O'Brien"),
        ("London", "Manchester", "Edinburgh", "Bristol", "Leeds", "Birmingham"),
    ),
    Locale(
        "DE", 7, ".de", "GmbH",
        ("Jürgen", "Jörg", "Lukas", "Anna", "Günter", "Sophie", "Maximilian", "Käthe"),
        ("Müller", "Schröder", "Weiß", "Schäfer", "Köhler", "Becker", "Hoffmann",
         "Groß"),
        ("Berlin", "München", "Köln", "Düsseldorf", "Hamburg", "Frankfurt am Main"),
        german_folding=True,
    ),
    Locale(
        "FR", 6, ".fr", "SAS",
        ("François", "Hélène", "Amélie", "Jérôme", "Cécile", "Benoît", "Zoé", "Gaël"),
        ("Dubois", "Lefèvre", "Moreau", "Girard", "Rousseau", "Fontaine", "Chevalier",
         "Faure"),
        ("Paris", "Lyon", "Marseille", "Toulouse", "Nantes", "Bordeaux"),
    ),
    Locale(
        "IT", 4, ".it", "S.p.A.",
        ("Giulia", "Marco", "Francesca", "Alessandro", "Chiara", "Luca", "Niccolò",
         "Federica"),
        ("Rossi", "Bianchi", "Russo", "Ferrari", "Esposito", "Romano", "Colombo",
         "Ricci"),
        ("Milano", "Roma", "Torino", "Bologna", "Firenze", "Napoli"),
    ),
    Locale(
        "ES", 3, ".es", "S.L.",
        ("Alejandro", "Lucía", "Javier", "María", "Sergio", "Elena", "Álvaro", "Carmen"),
        ("García", "Fernández", "López", "Martínez", "Sánchez", "Pérez", "Gómez",
         "Jiménez"),
        ("Madrid", "Sevilla", "Valencia", "Málaga", "Bilbao"),
    ),
    Locale(  # Catalan names in Catalonia
        "ES", 2, ".cat", "S.L.",
        ("Jordi", "Montserrat", "Núria", "Pau", "Laia", "Oriol", "Mireia", "Arnau"),
        ("Puig", "Vilaró", "Ferrer", "Soler", "Vidal", "Serra", "Casals", "Pujol"),
        ("Barcelona", "Girona", "Sabadell", "Tarragona"),
    ),
    Locale(
        "NL", 3, ".nl", "B.V.",
        ("Daan", "Sanne", "Bram", "Femke", "Jeroen", "Eva", "Sem", "Lotte"),
        ("de Vries", "van Dijk", "Jansen", "de Jong", "Bakker", "Visser",
         "van den Berg", "Smit"),
        ("Amsterdam", "Rotterdam", "Utrecht", "Den Haag", "Eindhoven"),
    ),
    Locale(
        "RU", 3, ".ru", "LLC",
        ("Иван", "Дмитрий", "Сергей", "Алексей", "Ольга", "Анна", "Екатерина", "Наталья"),
        ("Петров", "Смирнов", "Иванов", "Кузнецов", "Попов", "Соколов", "Волков",
         "Лебедев"),
        ("Москва", "Санкт-Петербург", "Новосибирск", "Екатеринбург", "Казань"),
        romanized={
            "Иван": "ivan", "Дмитрий": "dmitry", "Сергей": "sergey", "Алексей": "alexey",
            "Ольга": "olga", "Анна": "anna", "Екатерина": "ekaterina",
            "Наталья": "natalya", "Петров": "petrov", "Смирнов": "smirnov",
            "Иванов": "ivanov", "Кузнецов": "kuznetsov", "Попов": "popov",
            "Соколов": "sokolov", "Волков": "volkov", "Лебедев": "lebedev",
        },
        female_first_names=frozenset({"Ольга", "Анна", "Екатерина", "Наталья"}),
        female_suffix=("а", "a"),
    ),
    Locale(
        "JP", 4, ".co.jp", "K.K.",
        ("太郎", "花子", "健太", "さくら", "翔", "美咲", "大輔", "陽菜"),
        ("山田", "佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "中村"),
        ("東京", "大阪", "横浜", "名古屋", "福岡", "札幌"),
        romanized={
            "太郎": "taro", "花子": "hanako", "健太": "kenta", "さくら": "sakura",
            "翔": "sho", "美咲": "misaki", "大輔": "daisuke", "陽菜": "hina",
            "山田": "yamada", "佐藤": "sato", "鈴木": "suzuki", "高橋": "takahashi",
            "田中": "tanaka", "伊藤": "ito", "渡辺": "watanabe", "中村": "nakamura",
        },
    ),
    Locale(
        "IN", 5, ".in", "Pvt Ltd",
        ("Aarav", "Priya", "Rahul", "Ananya", "Vikram", "Sneha", "Arjun", "Kavya"),
        ("Sharma", "Patel", "Singh", "Kumar", "Gupta", "Reddy", "Iyer", "Nair"),
        ("Bengaluru", "Mumbai", "New Delhi", "Hyderabad", "Chennai", "Pune"),
    ),
    Locale(
        "AU", 3, ".com.au", "Pty Ltd",
        ("Jack", "Charlotte", "William", "Mia", "Lachlan", "Matilda"),
        ("Smith", "Jones", "Williams", "Brown", "Wilson", "Nguyen"),
        ("Sydney", "Melbourne", "Brisbane", "Perth", "Adelaide"),
    ),
    Locale(
        "SG", 2, ".sg", "Pte Ltd",
        ("Wei Ling", "Jun Jie", "Hui Min", "Arun", "Siti", "Darren"),
        ("Tan", "Lim", "Lee", "Ng", "Wong", "Kumar"),
        ("Singapore",),
    ),
    Locale(  # unknown / junk country (1% of leads, chosen separately: weight unused)
        "", 0, ".com", "Ltd",
        ("Alex", "Sam", "Chris", "Jordan"),
        ("Doe", "Roe", "Smith", "Lee"),
        ("",),
    ),
)

UNKNOWN_LOCALE = len(LOCALES)  # 1-based index of the last locale


def ascii_fold(text: str, german: bool = False) -> str:
    """Lower-case ASCII version of a Latin-script name, as used in e-mail addresses."""
    t = text.lower()
    if german:
        t = t.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")
    for src, dst in {"ß": "ss", "ø": "o", "æ": "ae", "œ": "oe", "ł": "l"}.items():
        t = t.replace(src, dst)
    t = unicodedata.normalize("NFKD", t)
    return "".join(c for c in t if c.isascii() and c.isalnum())


def read_countries(seed: Path = COUNTRY_SEED) -> dict[str, Country]:
    """The countries of the seed by code (sql/countries.sql)."""
    return {row[0]: Country(*row) for row in sql.countries(seed)}


def locale_countries(seed: Path = COUNTRY_SEED) -> list[Country]:
    """The country of every locale of LOCALES, in order (the unknown one last)."""
    countries = read_countries(seed)
    missing = sorted({loc.code for loc in LOCALES if loc.code and loc.code not in countries})
    if missing:
        raise ValueError(f"{seed}: no row for the demo-data countries {', '.join(missing)}")
    return [countries[loc.code] if loc.code else UNKNOWN_COUNTRY for loc in LOCALES]

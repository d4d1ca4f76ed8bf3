"""Names and division codes for the fictional demo province, drawn from Faker's zh_CN lists."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from faker import Faker

PROVINCE = "示范省"
# Codes no real province uses, so demo data can never be mistaken for a real division.
_PROVINCE_CODES = ("38", "39", "47", "48", "49")
# Municipalities and SARs read oddly as a prefecture of a province.
_NOT_CITIES = {"北京", "上海", "天津", "重庆", "香港", "澳门", "台北"}
_PLACE_SUFFIXES = ("家庄", "庄", "集", "店", "铺", "营", "屯", "寨", "河", "桥", "坊", "湾", "岭",
                   "口", "堡", "楼", "洼", "圩")  # fmt: skip
_PLACE_CHARS = "山河川阳平安宁城源水丰泉台陵原乐昌兴"
_DIGITS = "零一二三四五六七八九"
# Real numbering: 01 is 市辖区, districts from 02, counties from 21, county-level cities from 81.
_CODE_RANGES = {"区": (2, 20), "县": (21, 80), "市": (81, 99)}


def cn_number(n: int) -> str:
    """1–99 in Chinese numerals, as school names use them (第十二中学)."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _DIGITS[tens] + "十")
    return head + (_DIGITS[ones] if ones else "")


@dataclass(frozen=True, slots=True)
class County:
    code: str
    name: str
    city: str
    province: str


class Namer:
    """Faker-backed names, unique where a reader would notice a repeat."""

    def __init__(self, seed: int, rng: random.Random) -> None:
        self.fake = Faker("zh_CN")
        self.fake.seed_instance(seed)
        self.rng = rng
        self._used: set[str] = set()

    def _unique(self, make: Callable[[], str], scope: set[str]) -> str:
        for _ in range(60):
            name = make()
            if name not in scope:
                scope.add(name)
                return name
        # the Faker lists are finite: very large demos fall back to numbered names
        n = 0
        while (name := make() + cn_number(n % 98 + 2)) in scope:
            n += 1
        scope.add(name)
        return name

    def _coined(self) -> str:
        return self.fake.last_name() + self.rng.choice(_PLACE_CHARS)

    def _county_base(self) -> str:
        d = self.fake.district()
        if self.rng.random() < 0.6 and len(d) == 2:
            return d
        return self._coined()

    def _city_base(self) -> str:
        c = self.fake.city_name()
        return c if len(c) == 2 and c not in _NOT_CITIES else self._coined()

    def place(self, scope: set[str]) -> str:
        """A town or village name such as 王家庄 or 李集, unique within *scope*."""
        return self._unique(lambda: self.fake.last_name() + self.rng.choice(_PLACE_SUFFIXES), scope)

    def street(self, scope: set[str]) -> str:
        return self._unique(self.fake.street_name, scope)

    def counties(self, n: int) -> list[County]:
        """*n* counties spread over 2–4 cities (more for large demos), with real-style codes."""
        province = self.rng.choice(_PROVINCE_CODES)
        n_cities = min(n, max(self.rng.randint(2, 4), -(-n // 40)))
        cities = [self._unique(self._city_base, self._used) + "市" for _ in range(n_cities)]
        out = []
        for ci, city in enumerate(cities):
            size = n // n_cities + (ci < n % n_cities)
            # the city seat is a 区; codes then run 区, 县, 市 so they sort in demo order
            kinds = [
                "区",
                *sorted(self.rng.choices("县区市", (7, 1, 2), k=size - 1), key="区县市".index),
            ]
            used = {k: 0 for k in _CODE_RANGES}
            for kind in kinds:
                lo, hi = _CODE_RANGES[kind]
                if lo + used[kind] > hi:
                    kind, lo = "县", _CODE_RANGES["县"][0]
                code = f"{province}{ci + 1:02d}{lo + used[kind]:02d}"
                used[kind] += 1
                name = self._unique(self._county_base, self._used) + kind
                out.append(County(code, name, city, PROVINCE))
        return out

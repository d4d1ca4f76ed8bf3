"""Import of the contract workbook: preview (errors and what would change) → confirm
(one transaction). Importing the same file twice changes nothing the second time."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from junheng.contract import COUNTY_BY_KEY, COUNTY_SHEET, SCHOOL_BY_KEY, SCHOOL_SHEET
from junheng.errors import Finding, InputError
from junheng.limits import Limits
from junheng.parseworker import read_workbook_isolated

from ..models import City, County, CountyRecord, Province, RecordStatus, School, SchoolRecord
from ..scoping import Actor, scope_of, scoped
from .errors import NotAllowed, ServiceError
from .records import COUNTY_KEYS, SCHOOL_KEYS, TYPE_NAMES, follow_rename, stamp

ALLOWED_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")


@dataclass(frozen=True, slots=True)
class Change:
    sheet: str
    code: str
    name: str
    action: str  # 新增 / 修改 / 不变
    fields: list[tuple[str, Any, Any]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ImportPreview:
    token: str
    filename: str
    year: int
    findings: list[Finding]
    changes: list[Change]

    @property
    def ok(self) -> bool:
        return not self.findings

    def count(self, action: str) -> int:
        return sum(1 for c in self.changes if c.action == action)


def _store(data: bytes, suffix: str) -> tuple[str, Path]:
    folder = Path(settings.DATA_DIR) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    token = uuid.uuid4().hex
    path = folder / f"{token}{suffix}"
    path.write_bytes(data)
    return token, path


def _stored(token: str) -> Path:
    folder = Path(settings.DATA_DIR) / "imports"
    found = [p for p in folder.glob(f"{token}.*")
             if p.stem == token and token.isalnum() and p.suffix in ALLOWED_SUFFIXES]  # fmt: skip
    if not found:
        raise ServiceError("导入预览已过期或不存在，请重新上传文件")
    return found[0]


def _school_values(row: dict[str, Any]) -> dict[str, Any]:
    return {k: row.get(k) for k in SCHOOL_KEYS}


Versions = dict[str, int]
"""Each record's version as the preview saw it ("学校:code" / "区县:code"; 0: not there yet)."""


def _plan(user: Actor, path: Path, year: int) -> tuple[list[Finding], list[Change], Any, Versions]:
    versions: Versions = {}
    try:
        data = read_workbook_isolated(path)  # a crash or exhaustion stays in the worker
    except InputError as exc:
        return exc.findings, [], None, versions
    findings: list[Finding] = []
    changes: list[Change] = []
    scope = scope_of(user)
    visible = scoped(user, County.objects.all())
    counties = {c.code: c for c in visible}
    schools = {s.code: s for s in School.objects.filter(code__in=data.schools["code"].to_list())}
    own_schools = set(
        scoped(user, School.objects.filter(code__in=list(schools))).values_list("code", flat=True)
    )
    records = {r.school.code: r for r in SchoolRecord.objects.filter(year=year, school__code__in=list(schools)).select_related("school")}  # fmt: skip

    def refuse(sheet: str, row: int, column: str, value: str, message: str) -> None:
        findings.append(Finding("not-allowed", "无权导入", f"工作表“{sheet}”第{row}行“{column}”列的值“{value}”：{message}", sheet, row, column, value))  # fmt: skip

    for row in data.schools.to_dicts():
        code, cc = row["code"], row["county_code"]
        if scope.role == "school" and code != scope.unit:
            refuse(
                SCHOOL_SHEET,
                row["_row"],
                SCHOOL_BY_KEY["code"].header,
                code,
                "学校填报员只能导入本校数据",
            )
            continue
        if scope.role == "school":
            pass  # the clerk's own school (checked above); its county is not theirs to see
        elif cc not in counties and not scope.is_admin:
            refuse(
                SCHOOL_SHEET,
                row["_row"],
                SCHOOL_BY_KEY["county_code"].header,
                cc,
                "不在您管辖的区县范围内",
            )
            continue
        school = schools.get(code)
        if school is not None and school.county.code != cc:
            refuse(
                SCHOOL_SHEET,
                row["_row"],
                SCHOOL_BY_KEY["code"].header,
                code,
                f"该学校已登记在{school.county.name}，不能改到其他区县",
            )
            continue
        if school is not None and code not in own_schools:
            refuse(SCHOOL_SHEET, row["_row"], SCHOOL_BY_KEY["code"].header, code, "无权修改该学校")
            continue
        if school is None and scope.role == "school":
            refuse(SCHOOL_SHEET, row["_row"], SCHOOL_BY_KEY["code"].header, code,
                   "本校尚未登记，请联系区县教育督导")  # fmt: skip
            continue
        new = _school_values(row)
        rec = records.get(code)
        versions[f"学校:{code}"] = rec.version if rec else 0
        if rec is None:
            changes.append(Change(SCHOOL_SHEET, code, row["name"], "新增"))
            continue
        if scope.role == "school" and rec.status not in (RecordStatus.DRAFT, RecordStatus.RETURNED):
            refuse(SCHOOL_SHEET, row["_row"], SCHOOL_BY_KEY["code"].header, code,
                   f"{year}年数据{rec.get_status_display()}，学校不能再修改；如需修改请联系区县退回")  # fmt: skip
            continue
        if rec.status == RecordStatus.LOCKED:
            refuse(
                SCHOOL_SHEET,
                row["_row"],
                SCHOOL_BY_KEY["code"].header,
                code,
                f"{year}年数据已锁定（{rec.status_note}）",
            )
            continue
        diff = [
            (SCHOOL_BY_KEY[k].header, _show(k, getattr(rec, k)), _show(k, v))
            for k, v in new.items()
            if getattr(rec, k) != v
        ]
        changes.append(Change(SCHOOL_SHEET, code, row["name"], "修改" if diff else "不变", diff))  # fmt: skip
    if data.counties is not None:
        crecs = {
            r.county.code: r
            for r in CountyRecord.objects.filter(year=year).select_related("county")
        }
        for row in data.counties.to_dicts():
            cc = row["county_code"]
            if (
                scope.role == "school"
                or (cc not in counties and not scope.is_admin)
                or not scope.may("edit_county")
            ):
                refuse(
                    COUNTY_SHEET,
                    row["_row"],
                    COUNTY_BY_KEY["county_code"].header,
                    cc,
                    "无权导入该区县数据",
                )
                continue
            crec = crecs.get(cc)
            versions[f"区县:{cc}"] = crec.version if crec else 0
            if crec is None:
                changes.append(Change(COUNTY_SHEET, cc, row["county_name"], "新增"))
            elif crec.status == RecordStatus.LOCKED:
                refuse(
                    COUNTY_SHEET,
                    row["_row"],
                    COUNTY_BY_KEY["county_code"].header,
                    cc,
                    f"{year}年数据已锁定（{crec.status_note}）",
                )
            else:
                diff = [
                    (COUNTY_BY_KEY[k].header, getattr(crec, k), row.get(k))
                    for k in COUNTY_KEYS
                    if getattr(crec, k) != row.get(k)
                ]
                changes.append(Change(COUNTY_SHEET, cc, row["county_name"], "修改" if diff else "不变", diff))  # fmt: skip
    return findings, changes, data, versions


def _show(key: str, value: Any) -> Any:
    return TYPE_NAMES.get(value, value) if key == "type" else value


def _may_import(user: Actor) -> None:
    scope = scope_of(user)
    if not (scope.may("import") or scope.role == "school"):
        raise NotAllowed("您的角色不能导入数据")


def preview_import(user: Actor, content: bytes, filename: str, year: int) -> ImportPreview:
    _may_import(user)
    suffix = Path(filename).suffix.lower()
    if suffix not in ALLOWED_SUFFIXES:
        raise ServiceError(
            f"只能导入Excel文件（{'、'.join(ALLOWED_SUFFIXES)}），收到的是“{filename}”"
        )
    cap = Limits.from_env().max_file_bytes
    if len(content) > cap:
        raise ServiceError(f"文件过大：工作簿不能超过 {cap // 1024 // 1024} MB；上限可用环境变量 JUNHENG_MAX_FILE_MB 调整")  # fmt: skip
    token, path = _store(content, suffix)
    findings, changes, _, versions = _plan(user, path, year)
    sidecar = {"filename": filename, "versions": versions, "user": user.pk}
    path.with_suffix(".versions").write_text(
        json.dumps(sidecar, ensure_ascii=False), encoding="utf-8"
    )
    return ImportPreview(token, filename, year, findings, changes)


def _uploader(path: Path) -> object:
    try:
        return json.loads(path.with_suffix(".versions").read_text(encoding="utf-8")).get("user")
    except (OSError, ValueError, AttributeError):
        return None


def _previewed(path: Path) -> tuple[str, Versions]:
    """The uploaded file's name and the versions its preview saw (none if lost: then every
    existing record counts as changed, and the import is refused rather than guessed)."""
    try:
        seen = json.loads(path.with_suffix(".versions").read_text(encoding="utf-8"))
        return str(seen["filename"]), {str(k): int(v) for k, v in seen["versions"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return path.name, {}


def _last_change(kind: str, code: str, year: int) -> str:
    """Who saved the record last and when, in Beijing time."""
    rec: SchoolRecord | CountyRecord | None = (
        SchoolRecord.objects.filter(school__code=code, year=year).first()
        if kind == "学校"
        else CountyRecord.objects.filter(county__code=code, year=year).first()
    )
    last = rec.history.select_related("history_user").first() if rec else None
    if last is None:
        return ""
    who = last.history_user or "系统"
    return f"{who}于{timezone.localtime(last.history_date):%Y-%m-%d %H:%M}"


def _changed_since_preview(seen: Versions, now: Versions, year: int) -> list[Finding]:
    """Records saved (or created) by someone after the preview: confirming would overwrite
    what the preview did not show."""
    out = []
    for key, version in now.items():
        if seen.get(key, 0) == version:
            continue
        kind, code = key.split(":", 1)
        sheet = SCHOOL_SHEET if kind == "学校" else COUNTY_SHEET
        what = (
            "新建了该记录"
            if not seen.get(key)
            else f"修改了该记录（预览时版本{seen[key]}，现在版本{version}）"
        )
        who = _last_change(kind, code, year) or "有人"
        out.append(Finding("changed-since-preview", "预览后数据有变化",
                           f"{kind}“{code}”：预览后{who}{what}，确认导入会覆盖这些修改。请重新上传文件预览后再确认",
                           sheet, None, None, code))  # fmt: skip
    return out


def ensure_county(code: str, row: dict[str, Any]) -> County:
    """The county of a division code, created with its city and province if new (by the
    code's 2- and 4-digit prefixes, named from the row's 所属省份/所属地市 when given)."""
    prov, _ = Province.objects.get_or_create(
        code=code[:2] + "0000", defaults={"name": row.get("province") or f"{code[:2]}省"}
    )
    city, _ = City.objects.get_or_create(
        code=code[:4] + "00",
        defaults={"name": row.get("city") or f"{code[:4]}市", "province": prov},
    )
    county, _ = County.objects.get_or_create(
        code=code, defaults={"name": row["county_name"], "city": city}
    )
    return county  # fmt: skip


def confirm_import(user: Actor, token: str, year: int) -> ImportPreview:
    """Apply a previewed file in one transaction; refused whole if anything is wrong now.

    Only the user who uploaded the file confirms it, and only while their role may import:
    a token seen by someone else (a shared screen, a forwarded link) imports nothing."""
    _may_import(user)
    path = _stored(token)
    filename, seen = _previewed(path)
    if _uploader(path) != user.pk:
        raise NotAllowed("这份导入预览不是您上传的：请自己上传文件，预览后再确认导入")
    try:
        changes = _apply(user, path, year, seen)
    except _Refused as refused:
        return ImportPreview(token, filename, year, refused.findings, refused.changes)
    except IntegrityError:  # a record created by someone while this import ran
        said = Finding("changed-since-preview", "预览后数据有变化",
                       "导入期间有人新建了文件中学校或区县的年度数据，整个文件未导入：请重新上传文件预览后再确认")  # fmt: skip
        return ImportPreview(token, filename, year, [said], [])
    path.unlink(missing_ok=True)
    path.with_suffix(".versions").unlink(missing_ok=True)
    return ImportPreview(token, filename, year, [], changes)


class _Refused(Exception):
    def __init__(self, findings: list[Finding], changes: list[Change]) -> None:
        self.findings, self.changes = findings, changes


def _apply(user: Actor, path: Path, year: int, seen: Versions) -> list[Change]:
    """Write the file's records, each checked again under its row lock against the version
    the preview saw: an edit committed while this ran refuses the whole import."""
    with transaction.atomic():
        findings, changes, data, versions = _plan(user, path, year)
        findings = findings or _changed_since_preview(seen, versions, year)
        if findings or data is None:
            raise _Refused(findings, changes)

        def check(kind: str, code: str, rec: SchoolRecord | CountyRecord | None) -> None:
            now = rec.version if rec is not None else 0
            if now != seen.get(f"{kind}:{code}", 0):
                raise _Refused(_changed_since_preview(seen, {f"{kind}:{code}": now}, year), changes)

        county_rows = {
            r["county_code"]: r
            for r in (data.counties.to_dicts() if data.counties is not None else [])
        }
        for row in data.schools.to_dicts():
            county = County.objects.filter(code=row["county_code"]).first() or ensure_county(
                row["county_code"], {**county_rows.get(row["county_code"], {}), **row}
            )
            school, _ = School.objects.get_or_create(
                code=row["code"], defaults={"name": row["name"], "county": county}
            )
            rec = SchoolRecord.objects.select_for_update().filter(school=school, year=year).first()
            check("学校", row["code"], rec)
            values = _school_values(row)
            if rec is None:
                rec = SchoolRecord(school=school, year=year, **values)
            elif all(getattr(rec, k) == v for k, v in values.items()):
                continue
            else:
                for k, v in values.items():
                    setattr(rec, k, v)
                rec.version += 1
                if rec.status == RecordStatus.APPROVED:
                    rec.status = RecordStatus.SUBMITTED  # changed data needs a fresh review
            stamp(rec, user)
            rec.save()
            follow_rename(rec)
        for cc, row in county_rows.items():
            county = County.objects.filter(code=cc).first() or ensure_county(cc, row)
            crec = CountyRecord.objects.select_for_update().filter(county=county, year=year).first()
            check("区县", cc, crec)
            values = {k: row.get(k) for k in COUNTY_KEYS}
            if crec is None:
                crec = CountyRecord(county=county, year=year, **values)
            elif all(getattr(crec, k) == v for k, v in values.items()):
                continue
            else:
                for k, v in values.items():
                    setattr(crec, k, v)
                crec.version += 1
            stamp(crec, user)
            crec.save()  # fmt: skip
    return changes

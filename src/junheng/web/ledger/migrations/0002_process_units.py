from django.db import migrations

UNITS = (
    "县教育和体育局", "县财政局", "县发展和改革局", "县人力资源和社会保障局", "县自然资源局",
    "县住房和城乡建设局", "县机构编制委员会办公室", "县卫生健康局", "县公安局",
)


def seed(apps, schema_editor):
    unit = apps.get_model("ledger", "ResponsibleUnit")
    for i, name in enumerate(UNITS):
        unit.objects.get_or_create(name=name, defaults={"order": i})


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_process_ledger")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

from django.db import migrations


def load(apps, schema_editor):
    from xindai.contracts.shipped import seed

    seed(apps.get_model("contracts", "ContractTemplate"))


class Migration(migrations.Migration):
    dependencies = [("contracts", "0002_signing")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

from django.core.management import call_command


def test_collectstatic_with_production_storage(settings, tmp_path):
    """The Docker image runs collectstatic with hashed, compressed files at build time.

    Manifest storage refuses a file that refers to another it cannot find (a vendored
    library's source map, for instance), which would break the image build.
    """
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }

    call_command("collectstatic", interactive=False, verbosity=0)

    manifest = (tmp_path / "static" / "staticfiles.json").read_text()
    assert "vendor/bootstrap/bootstrap.min.css" in manifest
    assert "vendor/chartjs/chart.umd.min.js" in manifest

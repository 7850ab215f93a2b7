"""allvoice.app.settings: the TOML settings file, its limits and its error messages."""

from __future__ import annotations

import stat
import tomllib
from dataclasses import asdict, fields
from pathlib import Path

import pytest

from allvoice.app import settings
from allvoice.app.settings import Settings
from allvoice.errors import SettingsError


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "settings.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_missing_file_gives_the_defaults(tmp_path: Path) -> None:
    assert settings.load(tmp_path / "nothing.toml") == Settings()
    assert not (tmp_path / "nothing.toml").exists()


def test_defaults_are_the_documented_ones() -> None:
    defaults = Settings()
    assert (defaults.rate, defaults.volume, defaults.emergency_number) == (175, 0.8, "")


def test_round_trip(tmp_path: Path) -> None:
    changed = Settings(
        rate=200,
        volume=0.5,
        voice="en-gb",
        pitch=40,
        pause=1.5,
        pause_finished=0.4,
        pause_report=2.5,
        pause_unfinished=5.0,
        timeout=20.0,
        earcons=False,
        headphones=True,
        emergency_number="112",
        crisis_line="116 123",
        brief=True,
    )
    path = tmp_path / "deep" / "folder" / "settings.toml"
    settings.save(changed, path)
    assert settings.load(path) == changed
    assert all(getattr(changed, f.name) != getattr(Settings(), f.name) for f in fields(Settings))


def test_round_trip_keeps_types(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    settings.save(Settings(rate=200, volume=1.0), path)
    loaded = settings.load(path)
    assert type(loaded.rate) is int and type(loaded.volume) is float


def test_save_writes_only_what_differs_from_the_defaults(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    settings.save(Settings(rate=200), path)
    assert tomllib.loads(path.read_text(encoding="utf-8")) == {"rate": 200}
    settings.save(Settings(), path)
    assert tomllib.loads(path.read_text(encoding="utf-8")) == {}


def test_saved_file_is_private_and_no_temporary_is_left(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    settings.save(Settings(rate=300), path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["settings.toml"]


def test_saving_over_an_open_file_keeps_it_private(tmp_path: Path) -> None:
    path = write(tmp_path, "rate = 100\n")
    path.chmod(0o644)
    settings.save(Settings(rate=300), path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert settings.load(path).rate == 300


def test_default_path_follows_xdg_config_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert settings.default_path() == tmp_path / "xdg" / "allvoice" / "settings.toml"


def test_default_path_without_xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert settings.default_path() == tmp_path / ".config" / "allvoice" / "settings.toml"


LIMITS = [
    ("rate", 80, 450, 79, 451),
    ("volume", 0.0, 1.0, -0.01, 1.01),
    ("pitch", 0, 99, -1, 100),
    ("pause", 0.3, 10.0, 0.29, 10.5),
    ("pause_finished", 0.1, 10.0, 0.09, 10.5),
    ("pause_report", 0.3, 20.0, 0.29, 20.5),
    ("pause_unfinished", 0.3, 20.0, 0.29, 20.5),
    ("timeout", 1.0, 120.0, 0.5, 121.0),
]


@pytest.mark.parametrize(("key", "low", "high", "below", "above"), LIMITS)
def test_limits(key: str, low: float, high: float, below: float, above: float) -> None:
    assert getattr(settings.with_value(Settings(), key, low), key) == low
    assert getattr(settings.with_value(Settings(), key, high), key) == high
    assert getattr(settings.with_value(Settings(), key, str(high)), key) == high
    for bad in (below, above, str(above)):
        with pytest.raises(SettingsError, match=key):
            settings.with_value(Settings(), key, bad)


@pytest.mark.parametrize(("key", "low", "high", "below", "above"), LIMITS)
def test_limits_in_the_file_name_the_line(
    tmp_path: Path, key: str, low: float, high: float, below: float, above: float
) -> None:
    path = write(tmp_path, f"# settings\nbrief = true\n{key} = {above}\n")
    with pytest.raises(SettingsError) as error:
        settings.load(path)
    message = str(error.value)
    assert str(path) in message and "line 3" in message and key in message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("key", "text", "value"),
    [
        ("rate", "200", 200),
        ("volume", "0.5", 0.5),
        ("voice", "en-gb", "en-gb"),
        ("earcons", "no", False),
        ("earcons", "off", False),
        ("earcons", "yes", True),
        ("brief", "true", True),
        ("emergency_number", "112", "112"),
    ],
)
def test_text_values_are_converted(key: str, text: str, value: object) -> None:
    converted = getattr(settings.with_value(Settings(), key, text), key)
    assert converted == value
    assert type(converted) is type(value)


def test_with_value_changes_only_that_key() -> None:
    changed = settings.with_value(Settings(emergency_number="112"), "rate", "200")
    assert asdict(changed) == {**asdict(Settings()), "rate": 200, "emergency_number": "112"}


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("rate", "fast"),
        ("rate", 200.5),
        ("rate", True),
        ("volume", "loud"),
        ("earcons", "maybe"),
        ("pitch", ""),
        pytest.param("rate", [200]),
        pytest.param("volume", {"level": 1}),
    ],
)
def test_wrong_type_is_a_settings_error(key: str, value: object) -> None:
    with pytest.raises(SettingsError, match=key):
        settings.with_value(Settings(), key, value)


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ('rate = "fast"\n', 1, ["rate"]),
        ('rate = 200\n\n# comment\nvolume = "loud"\n', 4, ["volume", "loud"]),
        ("earcons = 3\n", 1, ["earcons"]),
        ("rate = 200\nbrief = false\nrate_wpm = 200\n", 3, ["unknown", "rate_wpm"]),
        ('  colour = "red"\n', 1, ["unknown", "colour"]),
        pytest.param("rate = 200\nvolume = [0.5]\n", 2, ["volume"]),
    ],
    ids=["wrong-type", "wrong-type-line-4", "bool", "unknown-key", "indented-unknown", "list"],
)
def test_damaged_file_names_file_and_line(
    tmp_path: Path, text: str, line: int, words: list[str]
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(SettingsError) as error:
        settings.load(path)
    message = str(error.value)
    assert str(path) in message
    assert f"line {line}" in message
    for word in words:
        assert word in message
    assert "\n" not in message


def test_unknown_key_lists_the_known_ones(tmp_path: Path) -> None:
    with pytest.raises(SettingsError) as error:
        settings.load(write(tmp_path, 'colour = "red"\n'))
    for field in fields(Settings):
        assert field.name in str(error.value)


def test_not_toml_names_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, "rate = 200\nvolume = \n")
    with pytest.raises(SettingsError) as error:
        settings.load(path)
    message = str(error.value)
    assert str(path) in message and "line 2" in message
    assert "default" in message


def test_not_utf8_is_a_settings_error(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_bytes(b"\xff\xfe rate = 200\n")
    with pytest.raises(SettingsError, match=r"settings\.toml"):
        settings.load(path)


def test_settings_error_is_an_allvoice_error() -> None:
    from allvoice.errors import AllvoiceError

    assert issubclass(SettingsError, AllvoiceError)


def test_a_good_file_is_read(tmp_path: Path) -> None:
    path = write(tmp_path, '# mine\nrate = 250\nvolume = 1\nvoice = "en-us"\nearcons = false\n')
    loaded = settings.load(path)
    assert loaded == Settings(rate=250, volume=1.0, voice="en-us", earcons=False)

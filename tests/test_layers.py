"""DESIGN.md §2: imports only go downwards (ui -> services -> domain / storage / reports)."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "skillsdesk"
# What each layer may import from the rest of skillsdesk.
ALLOWED = {
    "domain": {"domain", "i18n", "paths"},
    "cli": {"cli", "services", "domain", "i18n", "paths", "__init__"},
    "storage": {"storage", "domain", "i18n", "paths", "safefile"},
    "reports": {"reports", "domain", "i18n", "paths", "safefile"},
    "services": {"services", "storage", "domain", "reports", "i18n", "paths", "safefile"},
    "ui": {"ui", "services", "domain", "i18n", "paths", "safefile", "__init__"},
}
QT = ("PySide6", "shiboken6")
DB = ("sqlmodel", "sqlalchemy", "sqlite3", "sqlcipher3")


def imports(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "skillsdesk":  # from skillsdesk import safefile
                names += [f"skillsdesk.{a.name}" for a in node.names]
            else:
                names.append(node.module)
    return names


def test_layers_import_only_downwards() -> None:
    wrong = []
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE)
        layer = rel.parts[0] if len(rel.parts) > 1 else None
        for name in imports(path):
            top = name.split(".")[0]
            if top in QT and layer != "ui" and rel.name not in ("app.py", "__main__.py"):
                wrong.append(f"{rel}: {name} (Qt outside ui/)")
            if top in DB and layer != "storage":
                wrong.append(f"{rel}: {name} (database outside storage/)")
            if layer in ALLOWED and name.startswith("skillsdesk."):
                target = name.split(".")[1]
                if target not in ALLOWED[layer] and target != "__version__":
                    wrong.append(f"{rel}: {name} ({layer} may not import {target})")
    assert not wrong, "\n".join(wrong)


def test_shipped_fonts_carry_their_licence() -> None:
    fonts = PACKAGE.parent / "resources" / "fonts"
    assert list(fonts.glob("*.ttf"))
    assert "SIL Open Font License" in (fonts / "OFL.txt").read_text(encoding="utf-8")

"""The import rules of docs/architecture.md, checked on the source: no import cycle between our modules,
and no arrow the layout forbids.

Every `import` counts, at module level or inside a function (a function-level import only hides an
arrow, it does not remove it), and migrations count too. Each rule says why in its message; the last
tests run the checker on a small made-up tree to show it catches what it should.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("cms", "home", "plans", "cocreation", "search", "media_pipeline", "settings")
CMS_APPS = ("cms.api", "cms.distribution", "cms.workflow")
# What a cms app offers content types; the rest of an app is its own business.
PUBLISHED = {
    # the API field serializers page types list in `api_fields`; the OpenAPI helpers another app's endpoint
    # describes itself with (the `register_api_operations` hook)
    "cms.api": {"cms.api.fields", "cms.api.openapi"},
    "cms.distribution": {"cms.distribution.models", "cms.distribution.demo"},  # the page mixin, demo rules
    "cms.workflow": {"cms.workflow.demo"},  # the demo's role users
}


def find_modules(root, packages):
    """{dotted module name: path} of every Python file of the packages (a package is its __init__)."""
    modules = {}
    for package in packages:
        for path in (root / package).rglob("*.py"):
            parts = path.relative_to(root).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules[".".join(parts)] = path
    return modules


def owner(name, modules):
    """The longest module of ours that `name` is or is inside (None when it is not ours)."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def import_graph(root, packages):
    """{module: {imported module: first line}} for the imports between our modules."""
    modules = find_modules(root, packages)
    graph = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        edges = {}
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            targets = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                    base = f"{anchor}.{base}" if base else anchor
                # `from a import b` imports the module a.b when there is one, else a name of a
                targets = [
                    f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                    for alias in node.names
                ]
            for target in targets:
                found = owner(target, modules)
                if found and found != name:
                    edges.setdefault(found, node.lineno)
        graph[name] = edges
    return graph


def cycles(graph):
    """The strongly connected groups of more than one module (Tarjan), each sorted."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def within(name, *prefixes):
    return any(name == prefix or name.startswith(prefix + ".") for prefix in prefixes)


def cms_app(name):
    return next((app for app in CMS_APPS if within(name, app)), None)


def forbidden(source, target):
    """Why the arrow source → target is not allowed, or None."""
    if within(source, "cms") and not cms_app(source):
        if cms_app(target):
            return "the cms core never imports its apps: they use it, it finds them through hooks"
        if within(target, "plans", "cocreation", "home", "search"):
            return "cms never imports content types: they tell it what they need through BasePage methods"
    if within(source, "media_pipeline") and not within(target, "media_pipeline"):
        return "media_pipeline knows nothing of ours"
    if cms_app(source):
        if within(target, "plans", "cocreation", "home", "search"):
            return "cms apps never import content types"
        if cms_app(target) and cms_app(target) != cms_app(source):
            return "cms apps do not import each other: they meet in the core, hooks and signals"
    if within(source, "plans", "home", "search") and within(target, "cocreation"):
        return "co-creation is a domain app beside plans: others find it through Wagtail and app hooks"
    if within(source, "cocreation") and within(target, "plans", "home", "search"):
        return "co-creation uses the cms core only; it names plan pages by string (parent_page_types)"
    if within(source, "plans") and within(target, "home", "search"):
        return "plans (the domain) sits below the portal's home and search"
    if within(source, "search") and within(target, "plans", "home"):
        return "search finds content types through Wagtail's registry, not imports"
    if (
        within(source, "plans", "cocreation", "home", "search")
        and cms_app(target)
        and target not in PUBLISHED[cms_app(target)]
    ):
        return f"outside {cms_app(target)}, only its published modules are used: {PUBLISHED[cms_app(target)]}"
    return None


def violations(graph):
    return [
        f"{source} (line {line}) → {target}: {reason}"
        for source, edges in sorted(graph.items())
        for target, line in sorted(edges.items())
        if (reason := forbidden(source, target))
    ]


def test_no_import_cycle():
    assert cycles(import_graph(ROOT, PACKAGES)) == []


def test_no_forbidden_import():
    assert violations(import_graph(ROOT, PACKAGES)) == []


def write(root, files):
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_the_checker_sees_cycles_and_forbidden_arrows_even_inside_functions(tmp_path):
    write(
        tmp_path,
        {
            "cms/__init__.py": "",
            "cms/models.py": "def ready():\n    from cms.distribution import outbox\n",
            "cms/distribution/__init__.py": "",
            "cms/distribution/outbox.py": "from . import tasks\n",
            "cms/distribution/tasks.py": "def run():\n    from cms.distribution.outbox import relay\n",
            "cms/workflow/__init__.py": "",
            "cms/workflow/roles.py": "import cms.distribution.tasks\n",
            "plans/__init__.py": "",
            "plans/loader.py": "from home.models import HomePage\nfrom cms.api import router\n",
            "home/__init__.py": "",
            "home/models.py": "from plans import loader\n",
            "cms/api/__init__.py": "",
            "cms/api/router.py": "",
            "media_pipeline/__init__.py": "",
            "media_pipeline/tasks.py": "from cms import models\n",
        },
    )
    graph = import_graph(tmp_path, ("cms", "plans", "home", "media_pipeline"))
    assert cycles(graph) == [
        ["cms.distribution.outbox", "cms.distribution.tasks"],
        ["home.models", "plans.loader"],
    ]
    assert [line.split(":")[0] for line in violations(graph)] == [
        "cms.models (line 2) → cms.distribution.outbox",
        "cms.workflow.roles (line 1) → cms.distribution.tasks",
        "media_pipeline.tasks (line 1) → cms.models",
        "plans.loader (line 2) → cms.api.router",
        "plans.loader (line 1) → home.models",
    ]

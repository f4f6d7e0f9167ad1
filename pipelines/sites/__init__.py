"""The wire services wirecrawl knows, each declared once (:class:`pipelines.sites.base.Site`).

A wire is one module of this package holding its :class:`Site` at module level: nothing registers it,
:func:`declared_sites` finds it, and the crawl makes its spider from it
(:class:`crawler.spiderloader.WireSpiderLoader`). Sites declared outside the package are found the same
way through the ``WIRECRAWL_SITE_MODULES`` setting.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable

from pipelines.sites.base import Site
from pipelines.sites.generic import generic_site

#: where the wires of this package are declared
BUILT_IN = ("pipelines.sites",)


class SiteDeclarationError(ValueError):
    """Two wires declared under one name, or a site module that cannot be imported."""


def declared_sites(modules: Iterable[str] = BUILT_IN) -> dict[str, Site]:
    """Every :class:`Site` declared at module level in ``modules`` (a package: in its modules), by
    ``source``. Two different sites with one ``source`` are refused."""
    found: dict[str, Site] = {}
    for module in _site_modules(modules):
        for value in vars(module).values():
            if not isinstance(value, Site):
                continue
            known = found.setdefault(value.source, value)
            if known is not value:
                raise SiteDeclarationError(
                    f"two wires are named {value.source!r}; the second is in {module.__name__}")
    return found


def _site_modules(names: Iterable[str]):
    for name in names:
        try:
            module = importlib.import_module(name)
        except ImportError as exc:
            raise SiteDeclarationError(f"site module {name!r} cannot be imported: {exc}") from None
        yield module
        for info in pkgutil.iter_modules(getattr(module, "__path__", ())):
            yield importlib.import_module(f"{name}.{info.name}")


SITES: dict[str, Site] = declared_sites()

__all__ = ["BUILT_IN", "SITES", "Site", "SiteDeclarationError", "declared_sites", "generic_site"]

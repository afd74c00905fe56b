"""PySD abstract model -> engine intermediate representation (:class:`ModelIR`).

PySD's translators parse the Vensim (``.mdl``) or XMILE (``.xmile``, ``.xml``,
``.stmx``) file; this module walks the main section's elements, classifies
them (control, constant, lookup, data, equation) and has the mixins of
:mod:`.expressions`, :mod:`.calls` and :mod:`.statefuls` turn equations into
NumPy code.  A variable defined by several equations (elements, subranges,
``:EXCEPT:``) gets one node per equation and an assembling node.  Anything
outside the supported subset raises :class:`UnsupportedConstructError`.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
from pysd.builders.python.namespace import NamespaceManager
from pysd.translators.structures import abstract_expressions as ae
from pysd.translators.structures import abstract_model as am

from . import externals
from .calls import CallTranslator
from .dims import Dims, SubscriptError
from .errors import UnsupportedConstructError
from .expressions import LABELS, Expr, ExpressionTranslator, is_number
from .ir import CONTROL_LOCALS, STATEFUL_ROLES, ModelIR, Node, VarInfo
from .statefuls import StatefulTranslator

__all__ = ["CONTROL_LOCALS", "STATEFUL_ROLES", "ModelIR", "Translator", "VarInfo", "translate"]

XMILE_SUFFIXES = (".xmile", ".xml", ".stmx")
_LOOKUPS = (ae.LookupsStructure, ae.GetLookupsStructure)
_DATA = (ae.DataStructure, ae.GetDataStructure)


def _is_constant(ast) -> bool:
    return is_number(ast) or isinstance(ast, (np.ndarray, ae.GetConstantsStructure))


class Translator(ExpressionTranslator, CallTranslator, StatefulTranslator):
    """Builds a :class:`ModelIR` from one model file.

    Parameters
    ----------
    path : str or Path
        Vensim or XMILE model file.
    data_files : list of str or Path, optional
        Files with the time series of ``:DATA:`` variables (PySD's ``data_files``).
    """

    def __init__(self, path, data_files=None):
        self.path = Path(path)
        self.data_files = [Path(f) for f in data_files] if data_files else []
        self.ir = ModelIR(path=self.path)
        self.counter = 0
        self.element = None
        self.arg_cache, self.scope, self.var_subs, self.macros = {}, {}, {}, {}
        self.inline_key = None

    # ---------------------------------------------------------------- top
    def build(self) -> ModelIR:
        """Translate the whole model."""
        model, texts = self._parse()
        main = next(s for s in model.sections if s.type == "main")
        for section in model.sections:
            if section.type == "macro":
                self.macros[section.name] = section
            elif section.type != "main":
                raise UnsupportedConstructError(self.path, section.name,
                                                f"model section of type {section.type}")
        try:
            self.dims = Dims(main.subscripts, self.path.parent)
        except Exception as err:  # noqa: BLE001 (PySD raises assorted errors on bad ranges)
            raise UnsupportedConstructError(self.path, "(subscript ranges)",
                                            f"subscript range definition ({err})") from None
        self.ir.subscripts = {k: list(v) for k, v in self.dims.ranges.items()}
        ns = NamespaceManager(main.params)
        for element in main.elements:
            ns.add_to_namespace(element.name)
        self.cleanspace = ns.cleanspace
        self.ir.namespace = {k: v for k, v in ns.namespace.items() if k != "Time"}
        elements = {ns.namespace[e.name]: e for e in main.elements}
        for py, element in elements.items():
            self.element = element.name
            self.var_subs[py] = self._element_subs(element)
        self.lookup_elements = {py for py, el in elements.items()
                                if isinstance(el.components[0].ast, _LOOKUPS)}
        for py, element in elements.items():
            self.element = element.name
            self._element(py, element, texts.get(element.name, ""))
        self._classify_flows()
        return self.ir

    def _parse(self):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                if self.path.suffix.lower() in XMILE_SUFFIXES:
                    from pysd.translators.xmile.xmile_file import XmileFile

                    source = XmileFile(self.path)
                else:
                    from pysd.translators.vensim.vensim_file import VensimFile

                    source = VensimFile(self.path)
                source.parse()
                model = source.get_abstract_model()
            except UnsupportedConstructError:
                raise
            except Exception as err:  # noqa: BLE001 (parsimonious/lxml: the file is not understood)
                first = (str(err).splitlines() or [""])[0][:200]
                raise UnsupportedConstructError(
                    self.path, "(model file)",
                    f"syntax PySD cannot parse ({type(err).__name__}: {first})") from err  # kept: callers locate it
        texts = {c.name: getattr(c, "expression", "") for s in getattr(source, "sections", [])
                 for c in getattr(s, "elements", []) if hasattr(c, "expression")}
        return model, texts

    def _unsupported(self, construct):
        raise UnsupportedConstructError(self.path, self.element, construct)

    def _element_subs(self, element) -> dict:
        lists = [c.subscripts[0] for c in element.components]
        if not any(lists):
            return {}
        try:
            return self.dims.coord_dict(self.dims.merge(lists, element.name))
        except (SubscriptError, KeyError, ValueError, IndexError) as err:
            self._unsupported(f"subscripts that cannot be merged ({err})")

    def frame_of(self, component, subs: dict) -> dict:
        """Return the frame of one equation: ``{dimension: elements}`` of its left-hand side."""
        written = list(component.subscripts[0])
        try:
            frame = self.dims.coord_dict(written)
        except SubscriptError as err:
            self._unsupported(str(err))
        if len(frame) != len(written) or len(frame) != len(subs):
            self._unsupported(f"left-hand side subscripts {written}")
        for (dim, coords), own in zip(frame.items(), subs.values(), strict=True):
            if any(c not in own for c in coords):
                self._unsupported(f"left-hand side subscript '{dim}'")
        return frame

    def _placement(self, component, frame: dict, subs: dict) -> str:
        """Code ``(C[i], C[j])``: element positions of each frame axis and the :EXCEPT: mask."""
        index, mask = self._positions(component, frame, subs)
        mask_code = "None" if mask is None else self.ir.constant_array(mask)
        return f"({self.ir.constant_array(index)}, {mask_code})"

    def _positions(self, component, frame: dict, subs: dict) -> tuple:
        """Element positions (one int array per axis) and the :EXCEPT: mask (or None)."""
        index = tuple(np.array([list(own).index(c) for c in coords], dtype=np.intp)
                      for coords, own in zip(frame.values(), subs.values(), strict=True))
        mask = None
        for excepted in component.subscripts[1]:
            try:
                ex = self.dims.coord_dict(excepted)
            except SubscriptError as err:
                self._unsupported(f":EXCEPT: {err}")
            if len(ex) != len(frame):
                self._unsupported(f":EXCEPT: with {len(ex)} subscripts")
            if mask is None:
                mask = np.ones([len(c) for c in frame.values()], dtype=bool)
            picks = [np.isin(coords, list(exc)) for coords, exc in zip(frame.values(), ex.values(), strict=True)]
            mask[np.ix_(*picks)] = False
        return index, mask

    # ------------------------------------------------------------ elements
    def _element(self, py, element, text):
        subs = self.var_subs[py]
        asts = [c.ast for c in element.components]
        info = VarInfo(element.name, element.units or "", element.documentation or "",
                       "aux", text, subs)
        self.ir.variables[py] = info
        if isinstance(element, am.AbstractControlElement) or py in CONTROL_LOCALS:
            if py not in CONTROL_LOCALS or subs:
                self._unsupported("control variable")
            e = self.emit(asts[0], {})
            self.ir.control[py] = (e.code, e.deps)
            del self.ir.variables[py]
            return
        if all(isinstance(a, _LOOKUPS) for a in asts):
            info.kind = "lookup"
            return self._lookup(py, element, subs)
        if all(isinstance(a, _DATA) for a in asts):
            info.kind = "data"
            return self._data(py, element, subs)
        if all(_is_constant(a) for a in asts):
            info.kind = "constant"
            self.ir.constants[py] = self._constant(element, subs)
        else:
            if isinstance(asts[0], ae.IntegStructure):
                info.kind = "stock"
                self.ir.stocks.append(py)
            return self.element_nodes(element, py, "v_" + py, subs)
        local = "v_" + py
        self.ir.local_of[py] = local
        self.ir.nodes[local] = Node(local, f"P[{py!r}]", frozenset(), py, info.shape)

    def _constant(self, element, subs):
        if not subs:
            ast = element.components[0].ast
            if is_number(ast):
                return float(ast)
            return float(self._external(externals.constant, ast, {}))
        value = np.full([len(c) for c in subs.values()], np.nan)
        for comp in element.components:
            frame = self.frame_of(comp, subs)
            shape = [len(c) for c in frame.values()]
            if isinstance(comp.ast, ae.GetConstantsStructure):
                named = dict(zip(subs, frame.values(), strict=True))
                part = self._external(externals.constant, comp.ast, named)
            else:
                part = np.asarray(comp.ast, dtype=float)
            if part.size not in (1, int(np.prod(shape))):
                self._unsupported(f"a table of {part.size} numbers for subscripts of "
                                  f"shape {tuple(shape)}")
            part = np.broadcast_to(np.reshape(part, shape) if part.size > 1 else part, shape)
            index, mask = self._positions(comp, frame, subs)
            box = np.ix_(*index)
            value[box] = part if mask is None else np.where(mask, part, value[box])
        return value

    def _external(self, loader, ast, coords, *args):
        try:
            return loader(ast, coords, self.path.parent, self.element, *args)
        except externals.ExternalError as err:
            self._unreadable(ast, err)

    def _unreadable(self, ast, err):
        label = LABELS.get(type(ast).__name__.replace("Structure", ""), "file input")
        self._unsupported(f"{label} that cannot be read ({err})")

    def _lookup(self, py, element, subs):
        asts = [c.ast for c in element.components]
        if not subs and isinstance(asts[0], ae.LookupsStructure):
            self.ir.lookups[py] = self.table(asts[0])
            self.ir.lookup_limits[py] = (float(asts[0].y_limits[0]), float(asts[0].y_limits[1]))
            return
        if len({type(a) for a in asts}) > 1:
            self._unsupported("lookup defined partly in the file and partly in a spreadsheet")
        parts = [(c.ast, dict(zip(subs, self.frame_of(c, subs).values(), strict=True)))
                 for c in element.components]
        try:
            x, y = externals.lookups(parts, subs, self.path.parent, self.element)
        except externals.ExternalError as err:
            self._unreadable(asts[0], err)
        kind = getattr(asts[0], "type", None) or "interpolate"
        self.ir.lookups[py] = (x, y, self._kind(kind))

    def table(self, lk: ae.LookupsStructure):
        """(x (m,), y (m,), kind) of a lookup table written in the file."""
        x = np.asarray(lk.x, dtype=float)
        y = np.asarray(lk.y, dtype=float)
        if x.ndim != 1 or x.shape != y.shape:
            self._unsupported("multi-dimensional lookup")
        return (x, y, self._kind(lk.type or "interpolate"))

    def _kind(self, kind):
        if kind not in ("interpolate", "hold_backward", "extrapolate"):
            self._unsupported(f"lookup type '{kind}'")
        return kind

    def _data(self, py, element, subs):
        comps = element.components
        parts = [(c.ast, dict(zip(subs, self.frame_of(c, subs).values(), strict=True))) for c in comps]
        key = self._data_table(parts, getattr(comps[0], "keyword", None), subs, py)
        local = "v_" + py
        self.ir.local_of[py] = local
        self.ir.nodes[local] = Node(local, f"F.data_at(LK[{key!r}], t)", frozenset({"t"}), py,
                                    tuple(len(c) for c in subs.values()))

    def _data_table(self, parts, keyword, final, py) -> str:
        """Load a data series through PySD; returns its key in the tables ``LK``."""
        try:
            table = externals.data(parts, keyword, final, self.path.parent, self.element, py,
                                   self.data_files)
        except externals.ExternalError as err:
            self._unreadable(parts[0][0], err)
        key = self.new_local(f"_data_{py}_")
        self.ir.lookups[key] = table
        return key

    def _component_expr(self, comp, ast, frame, subs, py) -> Expr:
        """Expr of one equation; data and spreadsheet constants are loaded here."""
        if isinstance(ast, ae.GetConstantsStructure):
            named = dict(zip(subs, frame.values(), strict=True))
            value = np.asarray(self._external(externals.constant, ast, named), dtype=float)
            shape = tuple(len(c) for c in frame.values())
            return Expr(self.ir.constant_array(value.reshape((1,) + shape)), 0, (), tuple(frame))
        if isinstance(ast, _DATA):
            named = dict(zip(subs, frame.values(), strict=True))
            key = self._data_table([(ast, named)], getattr(comp, "keyword", None), named, py)
            return Expr(f"F.data_at(LK[{key!r}], t)", 0, {"t"}, tuple(frame))
        return self.emit(ast, frame)

    def element_nodes(self, element, py, local, subs, hidden=False):
        """Nodes of an element defined by equations; its value is the local ``local``."""
        parts = []
        for comp in element.components:
            frame = self.frame_of(comp, subs) if subs else {}
            ast, init = comp.ast, None
            if isinstance(ast, ae.CallStructure) and ast.function.reference == "active_initial":
                if len(ast.arguments) != 2:
                    self._unsupported(f"ACTIVE INITIAL with {len(ast.arguments)} arguments")
                init = self.emit(ast.arguments[1], frame)
                ast = ast.arguments[0]
            if isinstance(ast, ae.InlineLookupsStructure) and not subs and not hidden:
                self.inline_key = py
            expr = self._component_expr(comp, ast, frame, subs, py)
            parts.append((comp, frame, expr, init))
        element_py = None if hidden else py
        if not hidden:
            self.ir.local_of[py] = local
        shape = tuple(len(c) for c in subs.values())
        comp, frame, expr, init = parts[0]
        if len(parts) == 1 and not comp.subscripts[1] and list(frame.values()) == list(
                subs.values()):
            return self._node(local, frame, expr, init, element_py)
        entries = []
        for k, (comp, frame, expr, init) in enumerate(parts):
            part = f"c{k}_{local}"  # cannot clash with v_<name> locals
            self._node(part, frame, expr, init, None)
            entries.append(f"({part}, {self._placement(comp, frame, subs)})")
        code = f"F.assemble({shape!r}, [" + ", ".join(entries) + "])"
        self.ir.nodes[local] = Node(local, code,
                                    frozenset(f"c{k}_{local}" for k in range(len(parts))),
                                    element_py, shape)

    def _node(self, local, frame, expr, init, element):
        shape = tuple(len(c) for c in frame.values())
        node = Node(local, self._full(expr, frame), expr.deps, element, shape)
        if init is not None:
            node.init_expr, node.init_deps = self._full(init, frame), init.deps
        self.ir.nodes[local] = node

    @staticmethod
    def _full(expr, frame) -> str:
        """Code of ``expr`` broadcast to the whole frame (references index it by position)."""
        if not frame or set(frame) <= expr.dims:
            return expr.code
        return f"F.fill({expr.code}, {tuple(len(c) for c in frame.values())!r})"

    def _classify_flows(self):
        for st in self.ir.statefuls:
            if st.kind not in ("integ", "nonneg_integ"):
                continue
            locals_ = set(st.args["flow"][1])
            node = self.ir.nodes.get(st.args["flow"][0])
            if node is not None and node.element is None:
                locals_ |= set(node.deps)
            for dep in locals_:
                py = dep[2:] if dep.startswith("v_") else None
                if py in self.ir.variables and self.ir.variables[py].kind == "aux":
                    self.ir.variables[py].kind = "flow"


def translate(path, data_files=None) -> ModelIR:
    """Parse ``path`` with PySD and return the engine's intermediate representation."""
    return Translator(path, data_files).build()

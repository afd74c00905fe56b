"""Function calls of an equation: Vensim/XMILE builtins, lookups, vector functions, random draws.

A mixin of the translator (see :mod:`.expressions` for what it relies on).  Every
builtin PySD 3.14 implements is either translated here with PySD's definition
or refused with :class:`UnsupportedConstructError`; functions PySD does not
implement are refused too.
"""

from __future__ import annotations

from pysd.translators.structures import abstract_expressions as ae

from .expressions import Expr, is_number, join

ELEMENTWISE = {
    "abs": "np.abs(%s)", "exp": "np.exp(%s)", "sqrt": "np.sqrt(%s)", "ln": "np.log(%s)",
    "sin": "np.sin(%s)", "cos": "np.cos(%s)", "tan": "np.tan(%s)",
    "arcsin": "np.arcsin(%s)", "arccos": "np.arccos(%s)", "arctan": "np.arctan(%s)",
    "sinh": "np.sinh(%s)", "cosh": "np.cosh(%s)", "tanh": "np.tanh(%s)",
    "min": "np.minimum(%s, %s)", "max": "np.maximum(%s, %s)", "power": "np.power(%s, %s)",
    "log": "(np.log(%s)/np.log(%s))", "integer": "F.integer(%s)", "modulo": "F.modulo(%s, %s)",
    "quantum": "F.quantum(%s, %s)", "if_then_else": "F.if_then_else(%s, %s, %s)",
    "xidz": "F.xidz(%s, %s, %s)", "zidz": "F.zidz(%s, %s)",
    "step": "F.step(t, dt, %s, %s)", "ramp": "F.ramp(t, %s, %s, %s)",
    "Xramp": "F.ramp(t, %s, %s)",
    "pulse": "F.pulse(t, dt, %s, %s)", "pulse_train": "F.pulse_train(t, dt, %s, %s, %s, %s)",
    "Xpulse": "F.pulse_magnitude(t, dt, %s, %s)",
    "Xpulse_train": "F.pulse_train_magnitude(t, dt, %s, %s, %s)",
}
_REDUCERS = {"sum": "F.vsum", "prod": "F.vprod", "vmin": "F.vmin", "vmax": "F.vmax"}
_RANDOM = {"random_0_1": (0, "F.rand_uniform(RNG, %s, 0.0, 1.0)"),
           "random_uniform": (3, "F.rand_uniform(RNG, %s, %s, %s)"),
           "random_normal": (5, "F.rand_normal(RNG, %s, %s, %s, %s, %s)"),
           "random_exponential": (5, "F.rand_exponential(RNG, %s, %s, %s, %s, %s)")}


def bang_dims(ast) -> list:
    """Dimensions marked ``!`` in the references of ``ast``, in order of appearance."""
    found = []

    def walk(node):
        if isinstance(node, ae.ReferenceStructure) and node.subscripts:
            found.extend(s for s in node.subscripts.subscripts if s.endswith("!"))
        if isinstance(node, ae.AbstractSyntax):
            for value in vars(node).values():
                walk(value)
        elif isinstance(node, (list, tuple)):
            for value in node:
                walk(value)

    walk(ast)
    return list(dict.fromkeys(found))


class CallTranslator:
    """Mixin translating :class:`CallStructure` nodes."""

    def call(self, ast: ae.CallStructure, frame: dict) -> Expr:
        """Code of a call in ``frame``."""
        fname = ast.function.reference
        if fname in self.macros:
            return self.macro_call(fname, ast.arguments, frame)
        py = self.cleanspace.get(fname)
        if py is not None and py in self.lookup_elements:
            return self._lookup_call(py, ast.function, ast.arguments, frame)
        special = getattr(self, "_f_" + fname, None)
        if special is not None:
            return special(ast.arguments, frame)
        if fname in _REDUCERS:
            return self._reduce(fname, ast.arguments, frame)
        if fname in _RANDOM:
            return self._random(fname, ast.arguments, frame)
        template = ELEMENTWISE.get(fname)
        if template is None:
            label = "function " + fname.upper().replace("_", " ")
            if py is not None:
                label = f"call of non-lookup variable '{fname}'"
            self._unsupported(label)
        args = [self.emit(a, frame) for a in ast.arguments]
        if fname == "ramp" and len(args) == 2:
            template = "F.ramp(t, %s, %s)"
        if fname == "pulse" and len(args) == 1:
            template = "F.pulse(t, dt, %s)"
        if template.count("%s") != len(args):
            self._unsupported(f"{fname.upper()} with {len(args)} arguments")
        deps, axes = join(args)
        if "t, " in template:
            deps = deps | {"t"}
        return Expr(template % tuple(a.code for a in args), 0, deps, axes)

    # ------------------------------------------------------------------ lookups
    def _lookup_call(self, py, function, arguments, frame) -> Expr:
        if len(arguments) != 1:
            self._unsupported(f"lookup call with {len(arguments)} arguments")
        x = self.emit(arguments[0], frame)
        subs = function.subscripts.subscripts if function.subscripts else None
        table_subs = self.var_subs[py]
        if not table_subs:
            if subs:
                self._unsupported(f"subscripts on the scalar lookup '{function.reference}'")
            return Expr(f"F.lookup(LK[{py!r}], {x.code})", 0, x.deps, x.axes)
        y = self.array_reference(f"LK[{py!r}][1]", table_subs, subs, frame)
        return Expr(f"F.lookup_nd(LK[{py!r}], {y.code}, {x.code})", 0, x.deps,
                    join([x, y])[1])

    # --------------------------------------------------------- vector functions
    def _bang_frame(self, arguments, frame):
        bangs = [b for b in bang_dims(list(arguments)) if b not in frame]
        wide = dict(frame)
        for bang in bangs:
            wide.update(self.dims.coord_dict([bang]))
        return bangs, wide

    def _reduce(self, fname, arguments, frame) -> Expr:
        bangs, wide = self._bang_frame(arguments[:1], frame)
        if not bangs:
            self._unsupported(f"{fname.upper()} without a dimension marked '!'")
        arg = self.emit(arguments[0], wide)
        # a one-element range is selected, not kept, by a reference (as in PySD): its
        # length-1 axis is then summed like any other
        if any(b not in arg.dims and len(wide[b]) > 1 for b in bangs):
            self._unsupported(f"{fname.upper()} over a dimension its argument does not have")
        return Expr(f"{_REDUCERS[fname]}({arg.code}, {len(bangs)})", 0, arg.deps,
                    [a for a in arg.axes if a not in bangs])

    def _reduce_all(self, fname, arguments, frame) -> Expr:
        # XMILE MIN(x)/MAX(x) of one argument: over all of the argument's dimensions
        ref = arguments[0]
        if not isinstance(ref, ae.ReferenceStructure) or ref.reference not in self.cleanspace:
            self._unsupported(f"{fname.upper()} of one argument that is not a variable")
        own = self.var_subs[self.cleanspace[ref.reference]]
        names = ref.subscripts.subscripts if ref.subscripts else list(own)
        wide = dict(frame)
        extra = [n + "!" for n in names]
        for name in extra:
            wide.update(self.dims.coord_dict([name]))
        bang = ae.ReferenceStructure(ref.reference, ae.SubscriptsReferenceStructure(extra))
        arg = self.emit(bang, wide)
        return Expr(f"{_REDUCERS[fname]}({arg.code}, {len(extra)})", 0, arg.deps)

    def _f_vmin_xmile(self, arguments, frame):
        return self._reduce_all("vmin", arguments, frame)

    def _f_vmax_xmile(self, arguments, frame):
        return self._reduce_all("vmax", arguments, frame)

    def _f_vector_select(self, arguments, frame) -> Expr:
        bangs, wide = self._bang_frame(arguments[:2], frame)
        if not bangs:
            self._unsupported("VECTOR SELECT without a dimension marked '!'")
        sel, values = (self.emit(a, wide) for a in arguments[:2])
        rest = [self.emit(a, frame) for a in arguments[2:]]
        deps, _ = join([sel, values] + rest)
        axes = [a for a in join([sel, values])[1] if a not in bangs]
        code = (f"F.vector_select({sel.code}, {values.code}, {len(bangs)}, "
                + ", ".join(r.code for r in rest) + ")")
        return Expr(code, 0, deps, axes)

    def _axis(self, expr, frame, what, ast=None) -> int:
        """Axis (after the member axis) of the last dimension of ``expr`` in PySD's order.

        A reference over a one-element range drops that dimension; the range is then
        read from the reference ``ast`` itself.
        """
        if expr.axes:
            return 1 + list(frame).index(expr.axes[-1])
        subs = getattr(getattr(ast, "subscripts", None), "subscripts", None)
        last = list(self.dims.coord_dict(subs[-1:])) if subs else []
        if not last or last[0] not in frame:
            self._unsupported(f"{what} of a value without subscripts")
        return 1 + list(frame).index(last[0])

    def _f_vector_sort_order(self, arguments, frame) -> Expr:
        vec, direction = (self.emit(a, frame) for a in arguments)
        axis = self._axis(vec, frame, "VECTOR SORT ORDER")
        code = f"F.vector_sort_order({vec.code}, {direction.code}, {axis})"
        return Expr(code, 0, join([vec, direction])[0], vec.axes)

    def _f_vector_rank(self, arguments, frame) -> Expr:
        vec, direction = (self.emit(a, frame) for a in arguments)
        axis = self._axis(vec, frame, "VECTOR RANK")
        code = f"F.vector_rank({vec.code}, {direction.code}, {axis})"
        return Expr(code, 0, join([vec, direction])[0], vec.axes)

    def _f_vector_reorder(self, arguments, frame) -> Expr:
        vec, order = (self.emit(a, frame) for a in arguments)
        axis = self._axis(order, frame, "VECTOR REORDER")
        code = f"F.vector_reorder({vec.code}, {order.code}, {axis})"
        deps, axes = join([vec, order])
        return Expr(code, 0, deps, axes)

    def _f_invert_matrix(self, arguments, frame) -> Expr:
        # PySD inverts the last two dimensions (the size argument is not used)
        mat = self.emit(arguments[0], frame)
        if len(mat.axes) < 2:
            self._unsupported("INVERT MATRIX of a value that is not a matrix")
        axes = [1 + list(frame).index(a) for a in mat.axes[-2:]]
        return Expr(f"F.invert_matrix({mat.code}, {axes[0]}, {axes[1]})", 0, mat.deps, mat.axes)

    # -------------------------------------------------------------- the others
    def _f_pi(self, arguments, frame) -> Expr:
        return Expr("np.pi")

    def _f_elmcount(self, arguments, frame) -> Expr:
        ref = arguments[0] if len(arguments) == 1 else None
        name = getattr(ref, "reference", None)
        found = self.dims.number(name) if name and name not in self.cleanspace else None
        if found is None or found[1] is None:
            self._unsupported("ELMCOUNT of something that is not a subscript range")
        return Expr(repr(float(len(found[0]))))

    def _f_get_time_value(self, arguments, frame) -> Expr:
        relative, offset, measure = arguments
        if not (is_number(relative) and is_number(measure) and relative == 0 and measure == 0):
            self._unsupported("GET TIME VALUE other than relative to the model time (0, _, 0)")
        off = self.emit(offset, frame)
        off.lower(3)
        return Expr(f"t + {off.code}", 3, off.deps | {"t"}, off.axes)

    def _f_active_initial(self, arguments, frame) -> Expr:
        self._unsupported("ACTIVE INITIAL inside an expression (only a whole equation)")

    def _f_a_function_of(self, arguments, frame) -> Expr:
        self._unsupported("A FUNCTION OF (equation left incomplete)")

    def _random(self, fname, arguments, frame) -> Expr:
        count, template = _RANDOM[fname]
        args = [self.emit(a, frame) for a in arguments]
        if len(args) != count:
            self._unsupported(f"{fname.upper()} with {len(args)} arguments")
        if fname != "random_0_1":
            args = args[:-1]  # the seed argument: draws come from the run's seed
        self.ir.random = True
        shape = f"(n,) + {tuple(len(c) for c in frame.values())!r}"
        deps, _ = join(args)
        return Expr(template % ((shape,) + tuple(a.code for a in args)), 0, deps | {"t"},
                    tuple(frame))

    # --------------------------------------------------------------- allocation
    def allocation(self, ast, frame) -> Expr:
        """ALLOCATE BY PRIORITY / ALLOCATE AVAILABLE in ``frame`` (PySD's argument shapes)."""
        if isinstance(ast, ae.AllocateByPriorityStructure):
            args = [self.emit(a, frame) for a in (ast.request, ast.priority, ast.width,
                                                   ast.supply)]
            axis = self._axis(args[0], frame, "ALLOCATE BY PRIORITY", ast.request)
            code = "F.allocate_by_priority(" + ", ".join(a.code for a in args) + f", {axis})"
            return Expr(code, 0, join(args)[0], args[0].axes)
        # ALLOCATE AVAILABLE: the priority profile's last subscript is its own last dimension
        pp = ast.pp
        own = list(self.var_subs.get(self.cleanspace.get(pp.reference), {}))
        if not own or not pp.subscripts:
            self._unsupported("ALLOCATE AVAILABLE with a priority profile without subscripts")
        last = own[-1]
        subs = list(pp.subscripts.subscripts[:-1]) + [last]
        wide = dict(frame)
        wide[last] = list(self.var_subs[self.cleanspace[pp.reference]][last])
        request, avail = self.emit(ast.request, frame), self.emit(ast.avail, frame)
        profile = self.emit(ae.ReferenceStructure(
            pp.reference, ae.SubscriptsReferenceStructure(subs)), wide)
        axis = self._axis(request, frame, "ALLOCATE AVAILABLE", ast.request)
        code = f"F.allocate_available({request.code}, {profile.code}, {avail.code}, {axis})"
        return Expr(code, 0, join([request, profile, avail])[0], request.axes)

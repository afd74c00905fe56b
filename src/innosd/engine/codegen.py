"""Intermediate representation -> Python source of a vectorised ``run_chunk``.

The generated function is::

    run_chunk(n, P, LK, RNG, times, saves, steps, OUT) -> None

``n`` members; ``P`` maps every constant (and overridden auxiliary) python
name to a float, an array (n,) or, for a subscripted one, (1 or n, *dims);
``LK`` maps lookup and data keys to tables; ``RNG`` is the chunk's
``numpy.random.Generator`` (random functions); ``times`` is PySD's time grid
(list of floats, accumulated exactly as PySD does), ``saves`` flags the saved
steps and ``steps`` holds (TIME STEP, FINAL TIME, SAVEPER, INITIAL TIME) in
force at each time; ``OUT`` is a list of arrays (T, n, *dims) receiving the
requested outputs in order.  Constant arrays of the translation (index arrays,
masks) are the global ``C``.

Per step: dynamic auxiliaries are computed from the current states, outputs
are stored if the step is a SAVEPER time, then every state is advanced by one
Euler step.  Values that depend only on constants are computed once; inside
the loop every ufunc writes into a preallocated buffer (see :mod:`.fuse`) and
stocks are updated in place after all their increments are known.
"""

from __future__ import annotations

import graphlib
from dataclasses import dataclass, field

from .errors import UnsupportedConstructError
from .fuse import Fuser
from .ir import STATEFUL_ROLES, ModelIR

_INIT = {
    "integ": "{s} = F.full(n, {initial}, {shape})",
    "nonneg_integ": "{s} = F.full(n, {initial}, {shape})",
    "initial": "{s} = F.freeze({initial}, {shape})",
    "smooth": "{s}, {s}_ord = F.smooth_init(n, {initial}, {order}, {shape})",
    "delay": "{s}, {s}_ord = F.delay_init(n, {initial}, {delay_time}, {order}, dt, {shape})",
    "delayn": "{s}, {s}_times, {s}_ord = F.delayn_init(n, {initial}, {delay_time}, {order}, dt,"
              " {shape})",
    "delay_fixed": "{s}_pipe, {s}_ptr, {s}_ord = F.delay_fixed_init(n, {initial}, {delay_time},"
                   " dt, {shape})\n{s} = F.full(n, {initial}, {shape})",
    "trend": "{s} = F.full(n, {input} / (1 + {initial_trend} * {average_time}), {shape})",
    "forecast": "{s} = F.full(n, {input} / (1 + {initial_trend}), {shape})",
    "sample_if_true": "{s} = F.full(n, {initial}, {shape})",
}

_OUT = {
    "integ": "{s}",
    "nonneg_integ": "{s}",
    "initial": "{s}",
    "smooth": "F.chain_last({s}, {s}_ord)",
    "delay": "F.chain_last({s}, {s}_ord) / {delay_time}",
    "delayn": "F.chain_last({s}, {s}_ord) / {s}_times[0]",
    "delay_fixed": "{s}",
    "trend": "F.zidz({input} - {s}, {average_time} * np.abs({s}))",
    "forecast": "{input} * (1 + F.zidz({input} - {s}, {average_time} * {s}) * {horizon})",
    "sample_if_true": "np.where({condition}, {input}, {s})",
}

# chains: the increment goes into D_<s> in the step body, the state is advanced with
# the stocks at the end of the step (PySD computes every derivative, then updates)
_CHAINS = {
    "smooth": "F.smooth_ddt({s}, {input}, {s}_ord, {smooth_time}, D_{s})",
    "delay": "F.delay_ddt({s}, {input}, {delay_time}, {s}_ord, D_{s}, X_{s})",
    "delayn": "F.delayn_ddt({s}, {s}_times, {input}, {delay_time}, {s}_ord, D_{s}, X_{s})",
}

_UPDATE = {
    "integ": "",
    "nonneg_integ": "",
    "initial": "",
    "delay_fixed": "{s}, {s}_ptr = F.delay_fixed_update({s}_pipe, {s}_ptr, {s}_ord, {input})",
    "trend": "{s} = {s} + ({input} - {s}) / {average_time} * dt",
    "forecast": "{s} = {s} + ({input} - {s}) / {average_time} * dt",
    "sample_if_true": "{s} = {s} * 0 + np.where({condition}, {input}, {s})",
}


def _fmt(template, st):
    return template.format(s=st.sid, shape=repr(tuple(st.shape)),
                           **{role: code for role, (code, _) in st.args.items()})


def _role_deps(st, roles):
    deps = set()
    for role in roles:
        deps |= st.args[role][1]
    return deps


def generate(ir: ModelIR, outputs: list[str], overridden: frozenset = frozenset()) -> str:
    """Source of ``run_chunk`` storing the locals ``outputs`` (in order).

    Parameters
    ----------
    ir : ModelIR
        The translated model.
    outputs : list of str
        Locals stored at every SAVEPER time, in the order of ``OUT``.
    overridden : frozenset of str
        Python names of the auxiliaries (and constants) the run sets through ``P`` instead of their equations.

    Returns
    -------
    str
        Python source defining ``run_chunk`` (see the module docstring).
    """
    eq = _equations(ir, overridden)
    init_order = _toposort(ir, eq.init_deps)
    step_order = _toposort(ir, eq.step_deps)
    dynamic = _dynamic(ir, eq, step_order, overridden)
    needed = _needed(ir, eq, outputs, dynamic)
    lines = ["def run_chunk(n, P, LK, RNG, times, saves, steps, OUT):",
             "    t = times[0]",
             "    dt, tf, sp, t0 = steps[0]"]
    lines += _init_lines(ir, eq, init_order)
    fuser = Fuser()
    body, buffers = [], {}
    for local in step_order:
        if local in needed:
            buffers["B_" + local] = eq.shapes[local]
            body += fuser.statements(local, "B_" + local, eq.exprs[local], eq.shapes[local])
    body.append("if saves[i]:")
    for j, local in enumerate(outputs):
        body.append(f"    OUT[{j}][k] = {local}")
    body += ["    k += 1", "if i == last:", "    break"]
    updates, finish, chains = _state_updates(ir, buffers)
    body += updates + finish
    buffers.update(fuser.scratch)
    lines += [f"    {b} = np.empty({'n' if not s else f'(n,) + {s!r}'})"
              for b, s in buffers.items()]
    lines += [f"    D_{sid} = np.empty_like({sid})\n    X_{sid} = np.empty_like({sid})"
              for sid in chains]
    lines += ["    k = 0", "    last = len(times) - 1", "    for i in range(len(times)):",
              "        t = times[i]",
              "        dt, tf, sp, t0 = steps[i]"]
    lines += ["        " + line for line in body]
    lines.append("        pass")
    return "\n".join(lines) + "\n"


@dataclass
class _Equations:
    """Every local's code and dependencies, while initialising and in the step loop."""

    exprs: dict = field(default_factory=dict)        # local -> code in the step loop
    init_exprs: dict = field(default_factory=dict)   # local -> code while initialising
    step_deps: dict = field(default_factory=dict)    # local -> locals it reads in the step loop
    init_deps: dict = field(default_factory=dict)    # local -> locals it reads while initialising
    shapes: dict = field(default_factory=dict)       # local -> subscript shape
    active_initial: set = field(default_factory=set)  # locals with an ACTIVE INITIAL expression
    stateful_of: dict = field(default_factory=dict)  # output local of a stateful -> the stateful


def _equations(ir: ModelIR, overridden: frozenset) -> _Equations:
    """The code of every node and stateful output; an overridden node reads ``P`` instead."""
    eq = _Equations()
    for local, node in ir.nodes.items():
        eq.shapes[local] = tuple(node.shape)
        if node.element in overridden:
            eq.exprs[local], deps = f"P[{node.element!r}]", set()
        else:
            eq.exprs[local], deps = node.expr, set(node.deps) - {"t"}
        eq.step_deps[local] = deps
        eq.init_exprs[local], eq.init_deps[local] = eq.exprs[local], set(deps)
        if node.init_expr is not None and node.element not in overridden:
            # ACTIVE INITIAL: one expression while initialising, another while running
            eq.init_exprs[local], eq.init_deps[local] = node.init_expr, set(node.init_deps) - {"t"}
            eq.active_initial.add(local)
    for st in ir.statefuls:
        init_roles, out_roles, _ = STATEFUL_ROLES[st.kind]
        out = "o" + st.sid[1:]
        eq.stateful_of[out] = st
        eq.shapes[out] = tuple(st.shape)
        eq.exprs[out] = eq.init_exprs[out] = _fmt(_OUT[st.kind], st)
        eq.init_deps["I" + st.sid] = _role_deps(st, init_roles) - {"t"}
        eq.init_deps[out] = (_role_deps(st, out_roles) - {"t"}) | {"I" + st.sid}
        eq.step_deps[out] = _role_deps(st, out_roles) - {"t"}
    return eq


def _dynamic(ir: ModelIR, eq: _Equations, step_order: list, overridden: frozenset) -> set:
    """Locals that change during the run (the rest is computed once, before the loop)."""
    dynamic = set()
    for local in step_order:
        st = eq.stateful_of.get(local)
        node = ir.nodes.get(local)
        own_t = node is not None and "t" in node.deps and node.element not in overridden
        if st is not None:
            own_t = own_t or "t" in _role_deps(st, STATEFUL_ROLES[st.kind][1])
            if st.kind != "initial":
                dynamic.add(local)
        if own_t or eq.step_deps[local] & dynamic or local in eq.active_initial:
            dynamic.add(local)
    return dynamic


def _needed(ir: ModelIR, eq: _Equations, outputs: list[str], dynamic: set) -> set:
    """Dynamic locals the outputs and the states' updates read, directly or through others."""
    wanted = set(outputs)
    for st in ir.statefuls:
        wanted |= _role_deps(st, STATEFUL_ROLES[st.kind][2]) - {"t"}
    needed, stack = set(), [w for w in wanted if w in dynamic]
    while stack:
        local = stack.pop()
        if local in needed:
            continue
        needed.add(local)
        stack.extend(d for d in eq.step_deps[local] if d in dynamic)
    return needed


def _init_lines(ir: ModelIR, eq: _Equations, init_order: list) -> list[str]:
    """The initialisation: every local and state in dependency order (a state's ``I<sid>`` sets it up)."""
    lines = []
    for local in init_order:
        if local.startswith("I"):
            st = next(s for s in ir.statefuls if s.sid == local[1:])
            lines += ["    " + line for line in _fmt(_INIT[st.kind], st).split("\n")]
        else:
            lines.append(f"    {local} = {eq.init_exprs[local]}")
            if local in ir.lifted:
                # scalars indexed as x[..., None] in subscripted equations must be NumPy values
                lines.append(f"    {local} = np.asarray({local})")
    return lines


def _state_updates(ir: ModelIR, buffers: dict) -> tuple[list[str], list[str], list[str]]:
    """(increments, in-place updates after all increments, chained states) of one Euler step.

    Adds the increment buffers ``D_<sid>`` of integrals to ``buffers``.
    """
    body, finish, chains = [], [], []
    for st in ir.statefuls:
        if st.kind in ("integ", "nonneg_integ"):
            buffers["D_" + st.sid] = tuple(st.shape)
            body.append(f"np.multiply({st.args['flow'][0]}, dt, out=D_{st.sid})")
            finish.append(f"np.add({st.sid}, D_{st.sid}, out={st.sid})")
            if st.kind == "nonneg_integ":
                finish.append(f"np.maximum({st.sid}, 0, out={st.sid})")
        elif st.kind in _CHAINS:
            body.append(_fmt(_CHAINS[st.kind], st))
            body.append(f"np.multiply(D_{st.sid}, dt, out=D_{st.sid})")
            finish.append(f"np.add({st.sid}, D_{st.sid}, out={st.sid})")
            chains.append(st.sid)
        elif _UPDATE[st.kind]:
            body.append(_fmt(_UPDATE[st.kind], st))
    return body, finish, chains


def _toposort(ir, graph):
    try:
        return list(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as err:
        cycle = err.args[1]
        names = []
        for local in cycle:
            node = ir.nodes.get(local)
            if node is not None and node.element:
                names.append(ir.variables[node.element].name)
        raise UnsupportedConstructError(
            ir.path, names[0] if names else str(cycle[0]),
            "circular dependency (algebraic loop) through " + " -> ".join(names or cycle),
        ) from None

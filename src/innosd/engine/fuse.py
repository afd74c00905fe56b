"""Rewrite expression strings into NumPy ufunc calls writing into reusable buffers.

``a*b + c`` becomes ``np.multiply(a, b, out=T0); np.add(T0, c, out=B_x)``:
the same ufuncs Python's operators call on arrays (so bit-identical results),
without allocating a fresh array per operation inside the time loop.  The
node's value has shape (n, *shape) (members, then the equation's dimensions);
its elementwise sub-expressions live in that shape too (a broadcast operand is
simply written out in full), using a small pool of scratch buffers ``T<i>``
per shape.  Arguments of calls that are not elementwise (sums over a
dimension, indexing, sorting, ...) have other shapes: they are evaluated as
written into temporary names.
"""

from __future__ import annotations

import ast

_BINOPS = {ast.Add: "np.add", ast.Sub: "np.subtract", ast.Mult: "np.multiply",
           ast.Div: "np.true_divide", ast.Pow: "np.power"}
_CMPOPS = {ast.Eq: "np.equal", ast.NotEq: "np.not_equal", ast.Lt: "np.less",
           ast.LtE: "np.less_equal", ast.Gt: "np.greater", ast.GtE: "np.greater_equal"}
_UFUNCS = {"np.minimum", "np.maximum", "np.abs", "np.exp", "np.log", "np.sqrt", "np.sin",
           "np.cos", "np.tan", "np.arcsin", "np.arccos", "np.arctan", "np.sinh", "np.cosh",
           "np.tanh", "np.power", "np.logical_and", "np.logical_or", "np.logical_not"}
# engine functions whose result has the broadcast shape of their arguments
_ELEMENTWISE = {"F.lookup", "F.interp_inline", "F.if_then_else", "F.xidz", "F.zidz",
                "F.integer", "F.quantum", "F.modulo", "F.step", "F.ramp", "F.pulse",
                "F.pulse_train", "F.pulse_magnitude", "F.pulse_train_magnitude"}


class Fuser:
    """Turns one expression at a time into statements; tracks the scratch pools."""

    def __init__(self):
        self.scratch = {}   # name -> shape (without the member axis)
        self.free = {}      # shape -> names available
        self.n_temp = 0

    def _scratch(self, shape):
        pool = self.free.setdefault(shape, [])
        if pool:
            return pool.pop()
        name = f"T{len(self.scratch)}"
        self.scratch[name] = shape
        return name

    def _release(self, name):
        if name in self.scratch:
            self.free[self.scratch[name]].append(name)

    def statements(self, target: str, buffer: str, expr: str, shape: tuple = ()) -> list:
        """Statements computing ``expr`` into ``target`` (``buffer`` when it is a ufunc)."""
        tree = ast.parse(expr, mode="eval").body
        out = []
        if self._is_ufunc(tree):
            self._emit(tree, out, buffer, shape)
            out.append(f"{target} = {buffer}")
        else:
            out.append(f"{target} = {self._plain(tree, out, shape)}")
        return out

    @staticmethod
    def _is_ufunc(node) -> bool:
        if isinstance(node, ast.BinOp):
            return type(node.op) in _BINOPS
        if isinstance(node, ast.UnaryOp):
            return isinstance(node.op, ast.USub)
        if isinstance(node, ast.Compare):
            return len(node.ops) == 1 and type(node.ops[0]) in _CMPOPS
        if isinstance(node, ast.Call) and not node.keywords:
            return ast.unparse(node.func) in _UFUNCS
        return False

    def _operand(self, node, out, shape) -> str:
        if self._is_ufunc(node):
            buf = self._scratch(shape)
            self._emit(node, out, buf, shape)
            return buf
        if isinstance(node, (ast.Name, ast.Constant)):
            return ast.unparse(node)
        return self._plain(node, out, shape)

    def _plain(self, node, out, shape) -> str:
        if isinstance(node, (ast.Name, ast.Constant)):
            return ast.unparse(node)
        func = ast.unparse(node.func) if isinstance(node, ast.Call) else None
        if func in _ELEMENTWISE and not node.keywords:
            args = [self._operand(a, out, shape) for a in node.args]
            code = "{}({})".format(func, ", ".join(args))
            for a in args:
                self._release(a)
        else:
            code = ast.unparse(node)
        self.n_temp += 1
        name = f"_r{self.n_temp}"
        out.append(f"{name} = {code}")
        return name

    def _emit(self, node, out, buf, shape):
        if isinstance(node, ast.BinOp):
            func, args = _BINOPS[type(node.op)], [node.left, node.right]
        elif isinstance(node, ast.UnaryOp):
            func, args = "np.negative", [node.operand]
        elif isinstance(node, ast.Compare):
            func, args = _CMPOPS[type(node.ops[0])], [node.left, node.comparators[0]]
        else:
            func, args = ast.unparse(node.func), list(node.args)
        codes = [self._operand(a, out, shape) for a in args]
        out.append("{}({}, out={})".format(func, ", ".join(codes), buf))
        for c in codes:
            self._release(c)

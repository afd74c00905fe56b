"""Rewrite expression strings into NumPy ufunc calls writing into reusable buffers.

``a*b + c`` becomes ``np.multiply(a, b, out=T0); np.add(T0, c, out=B_x)``:
the same ufuncs Python's operators call on arrays (so bit-identical results),
without allocating a fresh (n,) array per operation inside the time loop.
Intermediate results use a small pool of scratch buffers ``T<i>``; the final
result goes into the node's own buffer.  Sub-expressions that are not plain
ufunc applications (e.g. ``F.lookup(...)``) are evaluated as written into
temporary names.
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


class Fuser:
    """Turns one expression at a time into statements; tracks the scratch pool."""

    def __init__(self):
        self.n_scratch = 0
        self.free = []
        self.n_temp = 0

    def _scratch(self):
        if self.free:
            return self.free.pop()
        self.n_scratch += 1
        return "T%d" % (self.n_scratch - 1)

    def _release(self, name):
        if name.startswith("T") and name[1:].isdigit():
            self.free.append(name)

    def statements(self, target: str, buffer: str, expr: str) -> list[str]:
        """Statements computing ``expr`` into ``target`` (``buffer`` when it is a ufunc)."""
        tree = ast.parse(expr, mode="eval").body
        out = []
        if self._is_ufunc(tree):
            self._emit(tree, out, buffer)
            out.append("%s = %s" % (target, buffer))
        else:
            out.append("%s = %s" % (target, self._plain(tree, out)))
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

    def _operand(self, node, out) -> str:
        if self._is_ufunc(node):
            buf = self._scratch()
            self._emit(node, out, buf)
            return buf
        if isinstance(node, (ast.Name, ast.Constant)):
            return ast.unparse(node)
        return self._plain(node, out)

    def _plain(self, node, out) -> str:
        if isinstance(node, ast.Call):
            args = [self._operand(a, out) for a in node.args]
            code = "%s(%s)" % (ast.unparse(node.func), ", ".join(args))
            for a in args:
                self._release(a)
        else:
            code = ast.unparse(node)
        if isinstance(node, (ast.Name, ast.Constant)):
            return code
        self.n_temp += 1
        name = "_r%d" % self.n_temp
        out.append("%s = %s" % (name, code))
        return name

    def _emit(self, node, out, buf):
        if isinstance(node, ast.BinOp):
            func, args = _BINOPS[type(node.op)], [node.left, node.right]
        elif isinstance(node, ast.UnaryOp):
            func, args = "np.negative", [node.operand]
        elif isinstance(node, ast.Compare):
            func, args = _CMPOPS[type(node.ops[0])], [node.left, node.comparators[0]]
        else:
            func, args = ast.unparse(node.func), list(node.args)
        codes = [self._operand(a, out) for a in args]
        out.append("%s(%s, out=%s)" % (func, ", ".join(codes), buf))
        for c in codes:
            self._release(c)

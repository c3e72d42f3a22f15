"""ConfusionMatrix: the binomial confusion matrix h2o-py builds client-side from the threshold table."""
from __future__ import annotations

from ..two_dim_table import H2OTwoDimTable


class ConfusionMatrix:
    """A 2-class (or k-class) confusion matrix with per-class error and ``(errors/total)`` rates.

    ``cm`` is given column-wise for 2x2 matrices (``[[tn, fp], [fn, tp]]`` as h2o-py passes it)."""
    ROUND = 4

    def __init__(self, cm, domains=None, table_header=None):
        if len(cm) == 2:
            cm = [list(c) for c in zip(*cm)]
        nclass = len(cm)
        class_errs = [0] * nclass
        class_sums = [0] * nclass
        rates = [""] * nclass
        cell_values = [None] * (nclass + 1)
        totals = [sum(c) for c in cm]
        total_errs = 0
        for i in range(nclass):
            class_errs[i] = sum(v[i] for v in cm[:i] + cm[i + 1:])
            total_errs += class_errs[i]
            class_sums[i] = sum(v[i] for v in cm)
            rates[i] = " (" + str(class_errs[i]) + "/" + str(class_sums[i]) + ")"
            class_errs[i] = float("nan") if class_sums[i] == 0 else round(class_errs[i] / class_sums[i], self.ROUND)
            cell_values[i] = [v[i] for v in cm] + [str(class_errs[i])] + [rates[i]]
        totals += [sum(class_sums)]
        total_err = float("nan") if totals[-1] == 0 else round(total_errs / totals[-1], self.ROUND)
        cell_values[-1] = totals[:-1] + [str(total_err)] + [" (" + str(total_errs) + "/" + str(totals[-1]) + ")"]
        labels = list(domains) if domains is not None else [str(i) for i in range(nclass)]
        row_header = labels + ["Total"]
        for i, label in enumerate(row_header):
            cell_values[i].insert(0, label)
        self.table = H2OTwoDimTable(table_header=table_header or "Confusion Matrix (Act/Pred)",
                                    col_header=[""] + labels + ["Error", "Rate"], cell_values=cell_values)

    def to_list(self):
        """The 2x2 counts as plain lists ``[[tn, fp], [fn, tp]]``."""
        cv = self.table.cell_values
        return [[int(cv[0][1]), int(cv[0][2])], [int(cv[1][1]), int(cv[1][2])]]

    def __getitem__(self, item):
        return self.table[item]

    def __str__(self):
        return self.table.to_str()

    __repr__ = __str__

    def show(self):
        print(self)

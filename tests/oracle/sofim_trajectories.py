#!/usr/bin/env python3
"""Reference SOFIM trajectories computed by hand from the spec (shared/sofim-spec.md, revision 2), with numpy.

Independent of the toolkit: the Fisher matrix is formed densely (n x n) for every step and solved with
numpy.linalg (solve, or pinv for the unregularized ablation). The problem is softmax regression on seeded
data, mini-batches in a fixed cyclic order, 20 steps, for every reading x ablation, global scope.

Writes toolkit/src/test/resources/oracle/sofim-trajectories.json; SofimTrajectoryTest replays it through
the core, the DL4J updater (DOUBLE) and the Tribuo optimiser. Re-run after changing the spec:
    python3 tests/oracle/sofim_trajectories.py
"""
import json
import os

import numpy as np

EXAMPLES, FEATURES, CLASSES, BATCH, STEPS = 16, 4, 3, 4, 20
READINGS = ["PAPER", "GRADIENT", "PRECONDITIONED_GRADIENT"]
VARIANTS = ["FULL", "NO_MOMENTUM", "NO_REGULARIZATION", "DIAGONAL_FIM", "NO_FISHER"]
SETTINGS = {  # variant -> (eta, beta, rho)
    "FULL": (0.5, 0.9, 0.1),
    "NO_MOMENTUM": (0.5, 0.9, 0.1),
    "NO_REGULARIZATION": (0.02, 0.9, 0.0),
    "DIAGONAL_FIM": (0.2, 0.9, 0.1),
    "NO_FISHER": (0.05, 0.9, 0.1),
}


def softmax_gradient(theta, x, y):
    """Mean cross-entropy gradient of softmax regression; theta = [W (CLASSES x FEATURES, row-major), b]."""
    w = theta[: CLASSES * FEATURES].reshape(CLASSES, FEATURES)
    b = theta[CLASSES * FEATURES:]
    z = x @ w.T + b
    z = z - z.max(axis=1, keepdims=True)
    p = np.exp(z)
    p /= p.sum(axis=1, keepdims=True)
    p[np.arange(len(y)), y] -= 1.0
    p /= len(y)
    return np.concatenate([(p.T @ x).ravel(), p.sum(axis=0)])


def direction(reading, variant, g, m, m_hat, rho):
    n = g.size
    if variant == "NO_MOMENTUM":
        u = v = g
    else:
        u = {"PAPER": m_hat, "GRADIENT": g, "PRECONDITIONED_GRADIENT": m}[reading]
        v = {"PAPER": m_hat, "GRADIENT": m_hat, "PRECONDITIONED_GRADIENT": g}[reading]
    if variant in ("FULL", "NO_MOMENTUM"):
        return np.linalg.solve(np.outer(u, u) + rho * np.eye(n), v)
    if variant == "NO_REGULARIZATION":
        return np.linalg.pinv(np.outer(u, u), rcond=1e-15) @ v
    if variant == "NO_FISHER":
        return np.linalg.solve(rho * np.eye(n), v)
    return np.linalg.solve(np.diag(u * u) + rho * np.eye(n), v)


def main():
    rng = np.random.default_rng(20240305)
    x = rng.normal(size=(EXAMPLES, FEATURES))
    y = rng.integers(0, CLASSES, size=EXAMPLES)
    theta0 = 0.1 * rng.normal(size=CLASSES * FEATURES + CLASSES)
    cases = []
    for reading in READINGS:
        for variant in VARIANTS:
            eta, beta, rho = SETTINGS[variant]
            theta = theta0.copy()
            m = np.zeros_like(theta)
            trajectory = []
            for t in range(1, STEPS + 1):
                k = (t - 1) % (EXAMPLES // BATCH)
                g = softmax_gradient(theta, x[k * BATCH:(k + 1) * BATCH], y[k * BATCH:(k + 1) * BATCH])
                m = beta * m + (1 - beta) * g
                m_hat = m / (1 - beta ** t)
                theta = theta - eta * direction(reading, variant, g, m, m_hat, rho)
                trajectory.append(theta.tolist())
            cases.append({"reading": reading, "variant": variant, "learningRate": eta, "beta": beta, "rho": rho,
                          "trajectory": trajectory})
    out = {
        "about": "SOFIM trajectories from tests/oracle/sofim_trajectories.py (numpy " + np.__version__ + ")",
        "examples": EXAMPLES, "features": FEATURES, "classes": CLASSES, "batch": BATCH, "steps": STEPS,
        "x": x.tolist(), "y": y.tolist(), "theta0": theta0.tolist(), "cases": cases,
    }
    here = os.path.dirname(os.path.abspath(__file__))
    target = os.path.join(here, "..", "..", "toolkit", "src", "test", "resources", "oracle", "sofim-trajectories.json")
    tmp = target + ".tmp"
    with open(tmp, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    os.replace(tmp, target)
    print("wrote", os.path.normpath(target))


if __name__ == "__main__":
    main()

# %% [markdown]
# # 08 · Optimizers: how the weights move
#
# Every notebook so far ended with the same five lines: zero the gradients, forward, loss, backward, *step*.
# This notebook is about the last of them. The gradient says which way is downhill; the optimiser decides how
# far to go, whether to remember where it went before, and whether every weight gets the same step. Those
# choices decide whether a network trains in minutes, in days, or not at all.
#
# **After this notebook you can**
#
# - write gradient descent with a stopping rule, and say what batch, mini-batch and stochastic gradient descent
#   cost per step and per epoch, and why a batch of one is noisy;
# - explain the *ravine* (zig-zag across the steep direction, crawl along the shallow one) and how momentum
#   and Nesterov momentum fix it;
# - write the update rules of SGD, momentum, Nesterov, RMSProp and Adam as pure functions, derive Nesterov's
#   stored-point form and Adam's bias correction yourself, and check them against `torch.optim` to $10^{-10}$;
# - analyse momentum on a quadratic exactly (the roots of its recurrence) and derive the best learning rate and
#   momentum for a range of curvatures;
# - turn an update rule into an optimiser object (state per parameter, one step counter) and train a network
#   with it;
# - read loss curves for a learning rate that is too high, too low or good, and decay the learning rate with a
#   step, exponential or $1/t$ schedule; write the warm-up + cosine schedule of modern training and train your
#   optimiser with it;
# - say why weight decay inside Adam is not the same as an L2 penalty in its gradient, write both (AdamW's
#   decoupled decay and L2-in-Adam) and measure the difference;
# - "babysit" a training run (initial loss, regularisation, overfitting a tiny subset) and search
#   hyper-parameters at random rather than on a grid;
# - choose and tune an optimiser yourself to train a deep sigmoid network within a budget of steps, and say why
#   one learning rate for all layers fails there.
#
# **Prerequisites.** Notebook 02 (gradients, mini-batch SGD, the digits classifier), notebook 04 (why elongated
# loss contours slow gradient descent), notebook 06 (L2 regularisation, train/validation curves).
#
# **`coursekit` parts used here** (the text, the experiments and the tests use them; those that do an
# exercise's work are off limits in your answers: read their code after you have solved the exercise, not before):
# `coursekit.optim.SGD` (with `momentum`, `nesterov`), `coursekit.optim.AdaGrad`, `coursekit.optim.RMSprop`,
# `coursekit.optim.Adam`, `coursekit.optim.AdamW`, `coursekit.optim.StepLR`, `coursekit.optim.ExponentialLR`,
# `coursekit.optim.InverseTimeLR`, `coursekit.optim.WarmupCosineLR`; `coursekit.nn.Parameter`, `coursekit.nn.Linear`, `coursekit.nn.ReLU`,
# `coursekit.nn.Sequential`, `coursekit.nn.CrossEntropyLoss`; `coursekit.functional.softmax_cross_entropy`;
# `coursekit.train.fit` (with `progress=False`), `coursekit.train.accuracy`; `coursekit.data.load_digits`,
# `coursekit.data.standardize`, `coursekit.data.train_val_test_split`; `coursekit.plot.plot_optimizer_paths`,
# `coursekit.plot.plot_history`, `coursekit.plot.plot_curves`; `coursekit.grading` in the test cells.
# The test cells also use `torch.optim` as the reference ("oracle"). `coursekit.claims.claim` checks every number
# the text quotes from an experiment against the range the text states.
#
# **What your answers may use.** NumPy, Python's `math`, and your own earlier answers (`MyAdam` and the AdamW
# exercise call your `adam_step`, `random_search` calls your `log_uniform`). Not the optimisers and schedulers of
# `coursekit.optim` and `torch.optim`, nor a library's log-uniform sampler or random search: they would do the
# exercise's work, and the grader rejects a call to them (the comment at the top of each answer cell lists what
# it forbids). Every update rule is a pure function: it returns new arrays and never modifies its inputs (the
# hidden tests check this).

# %%
from coursekit.plot import setup_notebook

setup_notebook()

import math  # noqa: F401 (for your answers: several exercises allow NumPy and math)

import matplotlib.pyplot as plt
import numpy as np

from coursekit import data, nn, optim, plot
from coursekit import functional as F
from coursekit.claims import claim
from coursekit.grading import assert_between, assert_close, assert_equal, assert_raises, assert_shape
from coursekit.train import accuracy, fit

# %% [markdown]
# ## 1. Gradient descent, as the lecture writes it
#
# Pick a starting point $w^0$, compute the negative gradient there, multiply it by the learning rate $\eta$, take
# the step, repeat:
#
# $$w^{k+1} = w^{k} - \eta\, \nabla C(w^{k}).$$
#
# The lecture's loop stops when the weights no longer move, $\sum_i |w_i - w_i^\text{old}| \le$ `goal`.
# On a convex loss surface this reaches the global minimum (for a small enough $\eta$); on a non-convex one it
# reaches *a* local minimum, and different starting points end in different minima. Below, the loop in NumPy on
# a two-parameter quadratic bowl $C(w) = \tfrac12 (w_1^2 + 50\, w_2^2)$, whose gradient is $(w_1,\ 50\,w_2)$ and
# whose minimum is at the origin. This bowl is 50 times steeper along $w_2$ than along $w_1$: it comes back in
# section 3.

# %%
KAPPA = 50.0  # curvature ratio of the bowl: steep along w2, shallow along w1


def bowl(w1, w2):
    """The ill-conditioned quadratic C(w) = (w1^2 + KAPPA * w2^2) / 2 (elementwise on arrays)."""
    return 0.5 * (w1**2 + KAPPA * w2**2)


def bowl_grad(w):
    """Gradient of `bowl` at w of shape (2,)."""
    return np.array([w[0], KAPPA * w[1]])


def gradient_descent(grad_fn, w0, learning_rate, goal, max_iter=100_000):
    """The lecture's GD loop: step until the weights move by at most `goal` (sum of |changes|)."""
    w = np.array(w0, dtype=np.float64)
    for iteration in range(1, max_iter + 1):
        gradient = grad_fn(w)
        w_old = w
        w = w - learning_rate * gradient
        if np.abs(w - w_old).sum() <= goal:
            return w, iteration
    return w, max_iter


for lr in (0.002, 0.01, 0.036, 0.041):
    w_end, iters = gradient_descent(bowl_grad, [-10.0, 1.0], lr, goal=1e-6, max_iter=5000)
    verdict = "stopped after" if iters < 5000 else "NOT converged in"
    print(f"learning rate {lr:5.3f}: {verdict} {iters:4d} steps, C(w) = {bowl(*w_end):.2e}")

# %% [markdown]
# Three lessons already. A small rate crawls (and its stopping rule fires early, at a worse point: tiny steps
# look like convergence). A larger rate is faster, up to a limit. Past $\eta = 2/50 = 0.04$, twice the inverse
# of the steepest curvature, the steep coordinate overshoots by more than it corrects and the iteration
# **diverges** (here it ran into `max_iter` with an enormous loss). The steep direction caps the learning rate,
# and the shallow direction then has to live with that cap.
#
# ## 2. Batch, mini-batch, stochastic
#
# A training loss is an average over the data, $C(w) = \frac1N \sum_{i=1}^N L_i(w)$, so its gradient
# $\nabla C = \frac1N \sum_i \nabla L_i$ costs $O(N)$: one pass over the whole training set **per step**.
# For a million images that is one step per hour, and a data set that does not fit in memory makes it
# intractable. The fix: estimate the gradient from a random **mini-batch** of $B$ examples,
#
# $$\nabla C(w) \approx \frac1B \sum_{i \in \text{batch}} \nabla L_i(w),$$
#
# take a step, take the next batch, until every example has been used once: that is one **epoch** (with
# $N/B$ steps). The loss we descend is different at every step, but each step is $N/B$ times cheaper.
#
# | batch size | name | steps per epoch | gradient |
# |---|---|---|---|
# | $B = N$ | batch gradient descent | 1 | exact, too slow per step |
# | $1 < B < N$ (32, 64, 128, ...) | mini-batch gradient descent | $N/B$ | good estimate, vectorised |
# | $B = 1$ | stochastic gradient descent (SGD) | $N$ | very noisy, no vectorisation |
#
# (In practice "SGD" is used for the mini-batch version too, as in `torch.optim.SGD` and `coursekit.optim.SGD`.)
# How noisy is the estimate? The cell measures, for a softmax classifier on the digits (`coursekit.data`),
# the relative error $\|g_B - \nabla C\| / \|\nabla C\|$ of the mini-batch gradient for several $B$, averaged
# over 200 random batches. Averaging $B$ independent terms divides the standard deviation by $\sqrt B$.

# %%
X_all, y_all = data.load_digits()
(X_train, y_train), (X_val, y_val), (X_test, y_test) = data.train_val_test_split(X_all, y_all, 0.2, 0.2, rng=0)
X_train, X_val, X_test = data.standardize(X_train, X_val, X_test)
N_train = len(y_train)
print(f"digits: {N_train} training, {len(y_val)} validation, {len(y_test)} test images of 64 pixels")


def softmax_grad(W, X, y):
    """Gradient of the mean softmax loss of scores X @ W (a linear classifier without bias)."""
    _, dscores = F.softmax_cross_entropy(X @ W, y)
    return X.T @ dscores


rng = np.random.default_rng(0)
W_probe = rng.normal(0.0, 0.1, size=(64, 10))
g_full = softmax_grad(W_probe, X_train, y_train)
print("batch size B | mean relative error of the gradient | times sqrt(B)")
rel_error = {}
for B in (1, 4, 16, 64, 256, N_train):
    errors = []
    for _ in range(200):
        idx = rng.choice(N_train, size=B, replace=False)
        errors.append(np.linalg.norm(softmax_grad(W_probe, X_train[idx], y_train[idx]) - g_full))
    rel_error[B] = np.mean(errors) / np.linalg.norm(g_full)
    print(f"{B:12d} | {rel_error[B]:34.4f} | {rel_error[B] * np.sqrt(B):.4f}")
scaled = [rel_error[B] * np.sqrt(B) for B in (1, 4, 16, 64)]
claim(
    "error x sqrt(B) roughly constant for B <= 64 (largest / smallest)", max(scaled) / min(scaled), 1.0, 1.5, fmt=".3g"
)
_ = claim(
    "a one-example gradient is wrong by more than its own size (relative error, B = 1)",
    rel_error[1],
    1.0,
    np.inf,
    fmt=".3g",
)

# %% [markdown]
# The error falls like $1/\sqrt B$: the last column stays within a factor of 1.5 for $B \le 64$ (the first
# claim above) until $B$ becomes a sizeable fraction of $N$, where sampling without replacement helps further; at
# $B = N$ it is exactly 0. With $B = 1$ a single gradient is *larger than the signal itself* (relative error above
# 1, the second claim): each step points in a fairly random direction, and only the
# average over many steps goes downhill. Yet per epoch, $B = 1$ takes $N$ steps where batch gradient descent
# takes one. The experiment below trains the same two-layer network (`coursekit.nn`, 64 hidden ReLUs) with plain
# SGD, $\eta = 0.01$, for three epochs at three batch sizes, using `coursekit.train.fit`.


# %%
def make_mlp(seed=0, hidden=64, last_init="he"):
    """The network of this notebook: Linear(64, hidden) - ReLU - Linear(hidden, 10), seeded."""
    rng = np.random.default_rng(seed)
    return nn.Sequential(nn.Linear(64, hidden, rng=rng), nn.ReLU(), nn.Linear(hidden, 10, init=last_init, rng=rng))


def train_mlp(make_optimizer, *, epochs, seed=0, make_scheduler=None, batch_size=32):
    """History of `make_mlp(seed)` trained by `make_optimizer(params)` on the digits (batch order from `seed`).

    `make_scheduler(optimizer)` (or None) returns the schedule that `fit` steps once per epoch.
    """
    model = make_mlp(seed=seed)
    opt = make_optimizer(model.parameters())
    scheduler = None if make_scheduler is None else make_scheduler(opt)
    train, val = (X_train, y_train), (X_val, y_val)
    return fit(
        model,
        nn.CrossEntropyLoss(),
        opt,
        train,
        val,
        epochs=epochs,
        batch_size=batch_size,
        scheduler=scheduler,
        progress=False,
        seed=seed,
    )


# %% tags=heavy
batch_runs = {}
for B in (1, 32, N_train):
    model = make_mlp()
    hist = fit(
        model,
        nn.CrossEntropyLoss(),
        optim.SGD(model.parameters(), lr=0.01),
        (X_train, y_train),
        (X_val, y_val),
        epochs=3,
        batch_size=B,
        progress=False,
        seed=0,
    )
    batch_runs[f"B = {B} ({-(-N_train // B)} steps/epoch)"] = hist.val_loss
    print(f"B = {B:4d}: validation loss per epoch {[round(v, 3) for v in hist.val_loss]}")
fig = plot.plot_curves(batch_runs, title="Same data, same lr, different batch sizes", ylabel="validation loss")
plt.show()
final_val = [losses[-1] for losses in batch_runs.values()]  # B = 1, 32, N
claim("B = 1 (N steps per epoch): validation loss after 3 epochs", final_val[0], 0.0, 0.4, fmt=".3g")
claim(
    "B = 32 ends between B = 1 and B = N (its place, 0 = at B = 1, 1 = at B = N)",
    (final_val[1] - final_val[0]) / (final_val[2] - final_val[0]),
    0.0,
    1.0,
    fmt=".2f",
)
_ = claim(
    "B = N (3 exact steps) barely moves from the initial ~2.8-3.1: validation loss", final_val[2], 2.3, 3.5, fmt=".3g"
)

# %% [markdown]
# Measured in epochs (one pass over the data, roughly the same arithmetic), more steps win: $B = 1$ ends below
# 0.4, $B = 32$ in between, and batch gradient descent has barely moved after three exact steps (still between
# 2.3 and 3.5; the claims above check all three). Measured in wall-clock time the picture changes: a batch of
# one cannot use vectorised matrix products, so each of its $N$ steps costs almost as much as a step on 32
# examples. Mini-batches of a few tens to a few hundreds sit in between: noisy enough to be cheap, large enough
# to be fast on the hardware. The batch size is a hyper-parameter: not too large, not too small.
#
# ### Exercise 1 (1 point, a warm-up): a plain gradient step
#
# All the update rules in this notebook are written as **pure functions on NumPy arrays**: they receive the
# weights and the optimiser's state, and *return* new arrays. They must never modify their inputs (an in-place
# `w -= ...` would silently change the caller's arrays).


# %% solution id=sgd_step forbid=coursekit.optim.SGD,torch.optim.SGD
def sgd_step(w, grad, lr):
    """One step of (stochastic) gradient descent.

    Parameters
    ----------
    w : float array of any shape, the current weights (not modified)
    grad : float array of w's shape, the gradient of the loss at w
    lr : float, the learning rate

    Returns
    -------
    w_new : float array of w's shape, the weights after one step of section 1's rule
    """
    ### BEGIN SOLUTION
    return w - lr * grad
    ### END SOLUTION


# %% tests id=test_sgd_step points=1
w_t = np.array([1.0, -2.0, 0.5])
g_t = np.array([0.5, 1.0, -4.0])
assert_close(sgd_step(w_t, g_t, 0.1), np.array([0.95, -2.1, 0.9]), name="sgd_step(w, g, lr=0.1)")
### BEGIN HIDDEN TESTS
w_t = np.array([[1.0, -2.0], [0.5, 3.0]])
w_copy = w_t.copy()
out = sgd_step(w_t, np.array([[2.0, -1.0], [0.0, 4.0]]), 0.25)
assert_close(out, np.array([[0.5, -1.75], [0.5, 2.0]]), name="sgd_step on a (2, 2) array with lr=0.25")
assert_close(w_t, w_copy, rtol=0, atol=0, name="w after sgd_step (must not be modified in place)")
### END HIDDEN TESTS

# %% [markdown]
# ## 3. The ravine
#
# Back to the bowl $C(w) = \tfrac12(w_1^2 + 50\,w_2^2)$: steep along $w_2$ (the vertical axis below), shallow
# along $w_1$. The lecture's question: along which path does gradient descent reach the minimum? The gradient
# points mostly *across* the valley, because that is where the slope is. With a learning rate close to the
# stability limit, the $w_2$ coordinate is multiplied by $1 - 50\eta = -0.8$ at each step, so it **zig-zags**
# from wall to wall, while $w_1$ is multiplied by $1 - \eta = 0.964$ and **crawls** along the valley floor.
# `coursekit.plot.plot_optimizer_paths` draws the contours and the path; the paths come from
# `coursekit.optim` optimisers driven by a small loop on a single `coursekit.nn.Parameter`.


# %%
def run_optimizer(make_optimizer, grad_fn, w0, steps):
    """Path (steps + 1, 2) of a coursekit optimiser on a 2-D function, given its gradient."""
    p = nn.Parameter(np.array(w0, dtype=np.float64))
    opt = make_optimizer([p])
    path = [p.data.copy()]
    for _ in range(steps):
        opt.zero_grad()
        p.grad[...] = grad_fn(p.data)
        opt.step()
        path.append(p.data.copy())
    return np.array(path)


W0_BOWL = [-10.0, 1.0]
ravine_paths = {
    f"SGD, lr {lr}": run_optimizer(lambda ps, lr=lr: optim.SGD(ps, lr=lr), bowl_grad, W0_BOWL, 60)
    for lr in (0.036, 0.01)
}
fig = plot.plot_optimizer_paths(
    bowl,
    ravine_paths,
    (-11, 5),
    (-1.3, 1.3),
    minimum=(0, 0),
    levels=15,
    title="The ravine: 60 steps of gradient descent",
)
plt.show()
for name, path in ravine_paths.items():
    print(f"{name}: after 60 steps w = ({path[-1, 0]:.4f}, {path[-1, 1]:.4f})")
claim(
    "lr 0.036: fraction of the way along w1 still to go after 60 steps",
    ravine_paths["SGD, lr 0.036"][-1, 0] / -10,
    0.1,
    0.12,
    fmt=".3f",
)
_ = claim(
    "lr 0.01: fraction still to go after 60 steps", ravine_paths["SGD, lr 0.01"][-1, 0] / -10, 0.5, 0.6, fmt=".3f"
)

# %% [markdown]
# At $\eta = 0.036$ the steep coordinate is settled within a few zig-zags, and then everything waits for the
# shallow one: after 60 steps it still has a tenth of its way to go ($0.964^{60} \approx 0.11$), and each further
# step removes only 3.6 % of what is left. Lowering $\eta$ to 0.01 removes the zig-zag but makes the crawl slower
# still (more than half the way to go after 60 steps: $0.99^{60} \approx 0.55$); raising it past 0.04 diverges.
# What we want is a method that *accumulates* speed along the direction that keeps pointing the same way and
# *cancels* the part that flips sign at every step.
#
# ## 4. Momentum
#
# **SGD with momentum** keeps a velocity $v$ (starting at 0) and lets the gradient change the velocity rather
# than the position:
#
# $$v \leftarrow \mu\, v - \eta\, \nabla C(w), \qquad w \leftarrow w + v .$$
#
# The physical picture: a ball rolling on the loss surface. The gradient is the force; $\mu$ acts as friction
# (with $\mu = 0$ we are back to plain gradient descent; with $\mu = 1$ the ball never stops). Typical values are
# $\mu \approx 0.9$, $0.95$ or $0.99$; some schedules *anneal* it, starting around $0.5$ and raising it towards
# $0.99$ as training settles. Along the valley floor the gradient keeps its sign, so the velocity builds up to
# about $\eta / (1 - \mu)$ times the gradient, ten times the plain step for $\mu = 0.9$. Across the valley the
# gradient flips sign at every step, and those contributions cancel in the sum. The method goes back to Polyak's
# *heavy ball* (1964); Sutskever, Martens, Dahl and Hinton (2013) showed how much it matters for deep networks.
#
# **Nesterov momentum** (Nesterov 1983) evaluates the gradient where the momentum is about to carry the ball,
# not where it is now:
#
# $$v \leftarrow \mu\, v - \eta\, \nabla C(w + \mu v), \qquad w \leftarrow w + v .$$
#
# If the look-ahead point is already uphill, the correction comes one step earlier, which damps the overshoot.
#
# The figure compares the three at the same learning rate $\eta = 0.02$ and the same 60 steps.

# %%
LR_BOWL = 0.02
paths_bowl = {
    "SGD": run_optimizer(lambda ps: optim.SGD(ps, lr=LR_BOWL), bowl_grad, W0_BOWL, 60),
    "momentum 0.9": run_optimizer(lambda ps: optim.SGD(ps, lr=LR_BOWL, momentum=0.9), bowl_grad, W0_BOWL, 60),
    "Nesterov 0.9": run_optimizer(
        lambda ps: optim.SGD(ps, lr=LR_BOWL, momentum=0.9, nesterov=True), bowl_grad, W0_BOWL, 60
    ),
}
fig = plot.plot_optimizer_paths(
    bowl,
    paths_bowl,
    (-11, 5),
    (-1.3, 1.3),
    minimum=(0, 0),
    levels=15,
    title="60 steps, lr 0.02: plain, momentum, Nesterov",
)
plt.show()
for name, path in paths_bowl.items():
    print(
        f"{name:13s}: distance to the minimum after 60 steps {np.linalg.norm(path[-1]):.4f}, "
        f"largest w1 reached {path[:, 0].max():+.4f}"
    )
distance = {name: np.linalg.norm(path[-1]) for name, path in paths_bowl.items()}
claim(
    "after 60 steps momentum is ~100x closer to the minimum than SGD (ratio)",
    distance["SGD"] / distance["momentum 0.9"],
    50,
    150,
    fmt=".3g",
)
_ = claim(
    "Nesterov overshoots less than momentum (largest w1, ratio)",
    paths_bowl["Nesterov 0.9"][:, 0].max() / paths_bowl["momentum 0.9"][:, 0].max(),
    0.0,
    1.0,
    fmt=".2f",
)

# %% [markdown]
# Momentum **overshoots**: it runs past the minimum ($w_1 > 0$) and swings back, like a ball; with
# $\mu = 0.9$ it also swings across the valley for a while, since every oscillation only loses a factor of
# about $\sqrt{\mu} \approx 0.95$ per step. But after the same 60 steps it is almost a hundred times closer to the
# minimum than plain gradient descent (50 to 150 times, checked above), and Nesterov's look-ahead trims both
# swings. The claims section at the end counts the steps each needs to get within $10^{-3}$.
#
# Momentum also moves the stability limits. On a direction of curvature $h$, plain gradient descent is stable
# for $\eta h < 2$, heavy-ball momentum for $\eta h < 2(1 + \mu) = 3.8$, but Nesterov only for
# $\eta h < (2 + 2\mu)/(1 + 2\mu) \approx 1.36$ (with $\mu = 0.9$; a short eigenvalue computation on the
# quadratic gives these). At $\eta = 0.036$, where $\eta h = 1.8$ on our steep direction, plain and heavy-ball
# descent converge and Nesterov diverges: its learning rate has to be smaller.
#
# ### The lecture's momentum and torch's momentum
#
# `torch.optim.SGD` (and `coursekit.optim.SGD`, which copies it) store a different buffer:
#
# $$b \leftarrow \mu\, b + g, \qquad w \leftarrow w - \eta\, b \qquad\text{(torch)}$$
# $$v \leftarrow \mu\, v - \eta\, g, \qquad w \leftarrow w + v \qquad\text{(lecture)} .$$
#
# By induction, $v_t = -\eta\, b_t$ at every step **as long as $\eta$ is constant**, so the weights are
# identical. When $\eta$ changes (a decay schedule), torch's form applies the *new* rate to the whole
# accumulated buffer at once, while the lecture's form keeps the old velocity and only uses the new rate for new
# gradients. The cell checks both statements: it halves the learning rate after 10 steps.

# %%
w_lec, v_lec = np.array(W0_BOWL), np.zeros(2)
p_torch = nn.Parameter(np.array(W0_BOWL))
sgd_torch_form = optim.SGD([p_torch], lr=LR_BOWL, momentum=0.9)
gaps = []
for step in range(20):
    lr_now = LR_BOWL if step < 10 else LR_BOWL / 2
    sgd_torch_form.lr = lr_now
    v_lec = 0.9 * v_lec - lr_now * bowl_grad(w_lec)
    w_lec = w_lec + v_lec
    p_torch.grad[...] = bowl_grad(p_torch.data)
    sgd_torch_form.step()
    gaps.append(np.abs(w_lec - p_torch.data).max())
print(f"largest |w_lecture - w_torch| over steps 1-10 (constant lr): {max(gaps[:10]):.1e}")
print(f"largest |w_lecture - w_torch| over steps 11-20 (lr halved):  {max(gaps[10:]):.4f}")

# %% [markdown]
# ### Nesterov without the look-ahead gradient
#
# Evaluating the gradient at $w + \mu v$ is awkward in code: the framework computes gradients where the
# parameters *are*. The usual trick (Bengio, Boulanger-Lewandowski and Pascanu 2013; it is what torch
# implements) is to store the look-ahead point instead, $\tilde w = w + \mu v$, and to rewrite the update as one
# of $(\tilde w, v)$ that needs the gradient at the stored point $\tilde w$ only. You derive that update in
# Exercise 3. The cell runs the original look-ahead form and `coursekit.optim.SGD(..., nesterov=True)` side by
# side and compares $w + \mu v$ with the stored parameters: the two are one method, written two ways.

# %%
w_orig, v_orig = np.array(W0_BOWL), np.zeros(2)
nesterov_path = paths_bowl["Nesterov 0.9"]
worst = 0.0
for step in range(60):
    v_orig = 0.9 * v_orig - LR_BOWL * bowl_grad(w_orig + 0.9 * v_orig)  # gradient at the look-ahead point
    w_orig = w_orig + v_orig
    worst = max(worst, np.abs((w_orig + 0.9 * v_orig) - nesterov_path[step + 1]).max())
print(f"largest |(w + mu v) - w_stored| over 60 steps: {'below 1e-12' if worst < 1e-12 else f'{worst:.1e}'}")

# %% [markdown]
# ### The oracle: `torch.optim` driven by our own gradients
#
# The next exercises are checked against `torch.optim`. The locked cell below shows how: make a float64 torch
# tensor, hand it to a `torch.optim` optimiser, and at each step *write* the gradient into its `.grad` instead of
# calling `backward()`; then `step()`. Your NumPy function, fed the same gradients, must follow the same
# trajectory to about $10^{-10}$.

# %% readonly id=torch_oracle
import torch


def torch_trajectory(make_optimizer, w0, grad_fn, steps):
    """Run a torch.optim optimiser from w0, feeding it grad_fn(w, t) at step t = 0, 1, ..., steps - 1.

    Returns the path, an array (steps + 1, *w0.shape), and the optimiser's state for the parameter (a dict:
    "momentum_buffer", "square_avg", "exp_avg", "exp_avg_sq", ... depending on the optimiser).
    """
    p = torch.tensor(np.array(w0, dtype=np.float64), requires_grad=True)
    opt = make_optimizer([p])
    path = [p.detach().numpy().copy()]
    for t in range(steps):
        p.grad = torch.from_numpy(np.array(grad_fn(p.detach().numpy().copy(), t), dtype=np.float64))
        opt.step()
        path.append(p.detach().numpy().copy())
    state = {k: (v.numpy().copy() if torch.is_tensor(v) else v) for k, v in opt.state[p].items()}
    return np.array(path), state


# %% [markdown]
# ### Exercise 2 (1 point): momentum, in the lecture's form
#
# Write one step of the lecture's momentum (section 4), returning the new weights *and* the new velocity. The
# test compares your trajectory with `torch.optim.SGD(momentum=mu)` (weights: equal; velocity: yours must equal
# $-\eta$ times torch's `momentum_buffer`), also from a non-zero velocity and on 2-D weight arrays.


# %% solution id=momentum_step forbid=coursekit.optim.SGD,torch.optim.SGD
def momentum_step(w, v, grad, lr, mu):
    """One step of SGD with momentum, lecture form.

    Parameters
    ----------
    w : float array, the current weights;  v : float array of w's shape, the velocity (zeros at the start)
    grad : float array of w's shape, the gradient at w
    lr : float, learning rate eta;  mu : float, momentum coefficient in [0, 1)

    Returns
    -------
    (w_new, v_new) : float arrays of w's shape, the weights and the velocity after the step.
    Inputs are not modified.
    """
    ### BEGIN SOLUTION
    v_new = mu * v - lr * grad
    w_new = w + v_new
    return w_new, v_new
    ### END SOLUTION


# %% tests id=test_momentum_step points=1
w1_t, v1_t = momentum_step(np.array([1.0, 2.0]), np.zeros(2), np.array([1.0, -1.0]), lr=0.1, mu=0.9)
assert_close(v1_t, np.array([-0.1, 0.1]), name="momentum_step: v after one step from v = 0")
assert_close(w1_t, np.array([0.9, 2.1]), name="momentum_step: w after one step from v = 0")
rng_t = np.random.default_rng(1)
grads_t = rng_t.normal(size=(25, 3))
w0_t = np.array([0.5, -1.0, 2.0])
ref_path, ref_state = torch_trajectory(
    lambda ps: torch.optim.SGD(ps, lr=0.05, momentum=0.9), w0_t, lambda w, t: grads_t[t], 25
)
w, v = w0_t.copy(), np.zeros(3)
ours = [w]
for t in range(25):
    w, v = momentum_step(w, v, grads_t[t], lr=0.05, mu=0.9)
    ours.append(w)
assert_close(np.array(ours), ref_path, rtol=1e-10, atol=1e-12, name="momentum_step: 25-step path vs torch.optim.SGD")
assert_close(
    v,
    -0.05 * ref_state["momentum_buffer"],
    rtol=1e-10,
    atol=1e-12,
    name="momentum_step: final v vs -lr * torch's momentum_buffer",
)
### BEGIN HIDDEN TESTS
# position-dependent gradients (a quadratic bowl), a 2-D weight array, another mu
A_t = np.array([[3.0, 0.5], [0.5, 1.0]])
w0_t = np.array([[1.0, -2.0], [0.5, 1.5]])
ref_path, ref_state = torch_trajectory(
    lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.5), w0_t, lambda w, t: A_t @ w, 30
)
w, v = w0_t.copy(), np.zeros((2, 2))
ours = [w]
for _t in range(30):
    w, v = momentum_step(w, v, A_t @ w, lr=0.1, mu=0.5)
    ours.append(w)
assert_close(np.array(ours), ref_path, rtol=1e-10, atol=1e-12, name="momentum_step: path on a quadratic, mu=0.5")
assert_close(v, -0.1 * ref_state["momentum_buffer"], rtol=1e-10, atol=1e-12, name="momentum_step: v on a quadratic")
w_in, v_in = np.array([1.0, 1.0]), np.array([0.5, -0.5])
w_keep, v_keep = w_in.copy(), v_in.copy()
w_o, v_o = momentum_step(w_in, v_in, np.array([2.0, 2.0]), lr=0.5, mu=0.9)
assert_close(v_o, np.array([-0.55, -1.45]), name="momentum_step: v from a non-zero velocity")
assert_close(w_o, np.array([0.45, -0.45]), name="momentum_step: w from a non-zero velocity")
assert_close(w_in, w_keep, rtol=0, atol=0, name="w after momentum_step (must not be modified in place)")
assert_close(v_in, v_keep, rtol=0, atol=0, name="v after momentum_step (must not be modified in place)")
### END HIDDEN TESTS

# %% [markdown]
# ### Exercise 3 (2 points): Nesterov momentum, stored at the look-ahead point
#
# First derive, on paper, the update of the stored point: start from Nesterov's
# $v_\text{new} = \mu v - \eta \nabla C(w + \mu v)$, $w_\text{new} = w + v_\text{new}$, put $\tilde w = w + \mu v$
# and $\tilde w_\text{new} = w_\text{new} + \mu v_\text{new}$, and express $v_\text{new}$ and
# $\tilde w_\text{new}$ in terms of $\tilde w$, $v$ and $g = \nabla C(\tilde w)$ alone. Then write one step of it:
# `w` is the stored (look-ahead) point $\tilde w$, `grad` the gradient there, and you return the new stored point
# and the new velocity $v_\text{new}$ (the lecture's $v$: $-\eta$ times torch's `momentum_buffer`). The tests
# compare both with `torch.optim.SGD(momentum=mu, nesterov=True)`, also from a non-zero velocity.


# %% solution id=nesterov_step forbid=coursekit.optim.SGD,torch.optim.SGD
def nesterov_step(w, v, grad, lr, mu):
    """One step of Nesterov momentum, in the form that needs the gradient at the stored weights only.

    Parameters
    ----------
    w : float array, the stored weights (the look-ahead point);  v : float array of w's shape, the velocity
    grad : float array of w's shape, the gradient at w
    lr : float;  mu : float

    Returns
    -------
    (w_new, v_new) : float arrays of w's shape, the new stored (look-ahead) point and the new velocity.
    Inputs are not modified.
    """
    ### BEGIN SOLUTION
    v_new = mu * v - lr * grad
    w_new = w - lr * grad + mu * v_new
    return w_new, v_new
    ### END SOLUTION


# %% tests id=test_nesterov_step points=2
w1_t, v1_t = nesterov_step(np.array([1.0, 2.0]), np.zeros(2), np.array([1.0, -1.0]), lr=0.1, mu=0.9)
assert_close(v1_t, np.array([-0.1, 0.1]), name="nesterov_step: v after one step from v = 0")
assert_close(w1_t, np.array([0.81, 2.19]), name="nesterov_step: stored point after one step from v = 0")
rng_t = np.random.default_rng(2)
grads_t = rng_t.normal(size=(25, 3))
w0_t = np.array([0.5, -1.0, 2.0])
ref_path, ref_state = torch_trajectory(
    lambda ps: torch.optim.SGD(ps, lr=0.05, momentum=0.9, nesterov=True), w0_t, lambda w, t: grads_t[t], 25
)
w, v = w0_t.copy(), np.zeros(3)
ours = [w]
for t in range(25):
    w, v = nesterov_step(w, v, grads_t[t], lr=0.05, mu=0.9)
    ours.append(w)
assert_close(np.array(ours), ref_path, rtol=1e-10, atol=1e-12, name="nesterov_step: 25-step path vs torch.optim.SGD")
### BEGIN HIDDEN TESTS
A_t = np.array([[3.0, 0.5], [0.5, 1.0]])
w0_t = np.array([[1.0, -2.0], [0.5, 1.5]])
ref_path, ref_state = torch_trajectory(
    lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.7, nesterov=True), w0_t, lambda w, t: A_t @ w, 30
)
w, v = w0_t.copy(), np.zeros((2, 2))
ours = [w]
for _t in range(30):
    w, v = nesterov_step(w, v, A_t @ w, lr=0.1, mu=0.7)
    ours.append(w)
assert_close(np.array(ours), ref_path, rtol=1e-10, atol=1e-12, name="nesterov_step: path on a quadratic, mu=0.7")
assert_close(v, -0.1 * ref_state["momentum_buffer"], rtol=1e-10, atol=1e-12, name="nesterov_step: final v")
w_in, v_in = np.array([1.0, 1.0]), np.array([0.5, -0.5])
w_keep, v_keep = w_in.copy(), v_in.copy()
w_o, v_o = nesterov_step(w_in, v_in, np.array([2.0, 2.0]), lr=0.5, mu=0.9)
assert_close(v_o, np.array([-0.55, -1.45]), name="nesterov_step: v from a non-zero velocity")
assert_close(w_o, np.array([-0.495, -1.305]), name="nesterov_step: w from a non-zero velocity")
assert_close(w_in, w_keep, rtol=0, atol=0, name="w after nesterov_step (must not be modified in place)")
assert_close(v_in, v_keep, rtol=0, atol=0, name="v after nesterov_step (must not be modified in place)")
### END HIDDEN TESTS

# %% [markdown]
# ### Exercise 3b (4 points): the best momentum for a ravine, derived
#
# $\mu = 0.9$ is a habit, not a law. On a quadratic the heavy ball can be analysed exactly, and the analysis
# says which $(\eta, \mu)$ are best for a given range of curvatures. Two functions:
#
# **(a) `heavy_ball_rate(lr, momentum, h)`.** Take one direction of curvature $h \ge 0$, $C(w) = \tfrac12 h w^2$,
# and momentum's two-line update of section 4 with a constant $\eta$ = `lr` and $\mu$ = `momentum`. Eliminate
# $v$: write $w_{k+1}$ in terms of $w_k$ and $w_{k-1}$ alone. The solutions of that linear recurrence are
# combinations of $r^k$, for the roots $r$ of a quadratic equation you derive; return the asymptotic factor by
# which $|w_k|$ shrinks (or grows) per step, the largest $|r|$, as a float. The roots may be complex. With
# $\mu = 0$ you should find plain gradient descent's $|1 - \eta h|$, and section 4 quoted two more facts your
# function must reproduce: a factor $\sqrt{\mu}$ per step when the ball swings, and growth beyond
# $\eta h = 2(1 + \mu)$.
#
# **(b) `best_heavy_ball(m, L)`.** The $(\eta, \mu)$ that make the worst factor over every curvature
# $h \in [m, L]$ as small as possible ($0 < m \le L$; for fixed $\eta$ and $\mu$ the worst case is at $h = m$
# or at $h = L$, you may use that). Return `(lr, momentum)`, two floats, each correct to a relative $10^{-8}$:
# the hidden tests compare them with the exact optimum for several ranges, so derive it on paper (a grid or
# numerical search will not reach that precision). Think about what the roots at the two ends must look like
# when neither end can be improved without making the other worse. Raise `ValueError` naming `m` or `L` unless
# $0 < m \le L$.
#
# NumPy and `math` only (`np.roots` and `np.linalg.eigvals` are fine in (a)). Section 10 runs the ravine
# $C = \tfrac12(w_1^2 + 50 w_2^2)$ with **your** `best_heavy_ball(1, 50)` beside the habits.


# %% solution id=heavy_ball
def heavy_ball_rate(lr, momentum, h):
    """The factor by which |w| shrinks (or grows) per step of momentum on a direction of curvature h."""
    ### BEGIN SOLUTION
    # v' = mu v - lr h w, w' = w + v'  =>  w_{k+1} = (1 + mu - lr h) w_k - mu w_{k-1}
    b, c = 1.0 + momentum - lr * h, momentum
    disc = b * b - 4.0 * c
    if disc < 0.0:  # complex pair: |r|^2 = r r* = c
        return float(np.sqrt(c))
    root = np.sqrt(disc)
    return float(max(abs(b + root), abs(b - root)) / 2.0)
    ### END SOLUTION


def best_heavy_ball(m, L):
    """(lr, momentum) minimising the worst factor over curvatures in [m, L]."""
    ### BEGIN SOLUTION
    if not 0.0 < m:
        raise ValueError(f"best_heavy_ball: m must be positive, got m={m}")
    if not m <= L:
        raise ValueError(f"best_heavy_ball: need m <= L, got m={m}, L={L}")
    # At the optimum both ends have a double root: 1 + mu - lr m = 2 sqrt(mu) and 1 + mu - lr L = -2 sqrt(mu).
    sm, sL = np.sqrt(m), np.sqrt(L)
    return float(4.0 / (sL + sm) ** 2), float(((sL - sm) / (sL + sm)) ** 2)
    ### END SOLUTION


# %% tests id=test_heavy_ball points=4
assert_close(heavy_ball_rate(0.01, 0.0, 50.0), 0.5, name="heavy_ball_rate(0.01, 0, 50): no momentum, |1 - 0.5|")
assert_close(heavy_ball_rate(0.05, 0.0, 50.0), 1.5, name="heavy_ball_rate(0.05, 0, 50): no momentum, |1 - 2.5|")
assert_close(heavy_ball_rate(0.02, 0.9, 1.0), np.sqrt(0.9), name="heavy_ball_rate(0.02, 0.9, 1): swinging, sqrt(mu)")
assert_between(heavy_ball_rate(0.1, 0.9, 38.5), 1.0, np.inf, name="heavy_ball_rate beyond eta h = 2(1 + mu)")
assert_between(heavy_ball_rate(0.1, 0.9, 37.0), 0.0, 1.0, name="heavy_ball_rate just inside eta h = 2(1 + mu)")
lr_hb, mu_hb = best_heavy_ball(1.0, 50.0)
print(f"best_heavy_ball(1, 50): lr = {lr_hb:.6f}, momentum = {mu_hb:.6f}")
path_hb = run_optimizer(lambda ps: optim.SGD(ps, lr=lr_hb, momentum=mu_hb), bowl_grad, W0_BOWL, 100)
assert_between(
    np.linalg.norm(path_hb[-1]), 0.0, 1e-8, name="distance to the ravine's minimum after 100 steps with your (lr, mu)"
)
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(8)
for _ in range(200):
    _lr, _mu, _h = _rng.uniform(0.0, 0.2), _rng.uniform(0.0, 0.99), _rng.uniform(0.0, 60.0)
    _b = 1.0 + _mu - _lr * _h
    if abs(_b * _b - 4 * _mu) < 1e-6:
        continue  # a double root: its numerical value is only good to sqrt(machine epsilon)
    _expected = np.abs(np.linalg.eigvals(np.array([[_b, -_mu], [1.0, 0.0]]))).max()
    assert_close(
        float(heavy_ball_rate(_lr, _mu, _h)),
        _expected,
        rtol=1e-9,
        atol=1e-12,
        name=f"heavy_ball_rate(lr={_lr:.4f}, momentum={_mu:.4f}, h={_h:.3f})",
    )
assert_close(float(heavy_ball_rate(0.1, 0.5, 0.0)), 1.0, name="heavy_ball_rate at h = 0 (a flat direction)")
assert_close(float(heavy_ball_rate(0.1, 0.5, 37.5)), 2.0, name="heavy_ball_rate(0.1, 0.5, 37.5): roots -2 and -0.25")
for _m, _L in ((1.0, 50.0), (0.1, 10.0), (2.0, 2.0), (1e-3, 1.0), (3.0, 1e4)):
    _lr, _mu = best_heavy_ball(_m, _L)
    _sm, _sL = np.sqrt(_m), np.sqrt(_L)
    assert_close(float(_lr), 4 / (_sL + _sm) ** 2, rtol=1e-8, atol=0.0, name=f"best_heavy_ball({_m}, {_L}): lr")
    assert_close(
        float(_mu), ((_sL - _sm) / (_sL + _sm)) ** 2, rtol=1e-8, atol=1e-15, name=f"best_heavy_ball({_m}, {_L}): mu"
    )
for _m, _L, _name in ((0.0, 1.0, "m"), (-1.0, 1.0, "m"), (2.0, 1.0, "L")):
    assert_raises(
        ValueError, best_heavy_ball, _m, _L, mentions=(_name,), name=f"best_heavy_ball({_m}, {_L}) (0 < m <= L)"
    )
### END HIDDEN TESTS

# %% [markdown]
# ## 5. One learning rate per weight: AdaGrad, RMSProp, Adam
#
# Momentum still uses one learning rate for all weights. In the ravine, the ideal step is small along the steep
# direction and large along the shallow one. The *adaptive* methods estimate the scale of each coordinate's
# gradients and divide by it (all operations elementwise, $\epsilon \approx 10^{-8}$ avoids a division by zero):
#
# **AdaGrad** (Duchi, Hazan and Singer 2011) divides by the root of the *sum* of all squared gradients so far:
#
# $$G \leftarrow G + g \odot g, \qquad w \leftarrow w - \frac{\eta}{\sqrt{G} + \epsilon} \odot g .$$
#
# Coordinates with large gradients get small steps and vice versa. But $G$ only grows: with a steady gradient
# the step shrinks like $\eta/\sqrt t$, and on a long non-convex run AdaGrad slows to a halt.
#
# **RMSProp** (Hinton, Coursera lecture 6e, 2012: never published as a paper) replaces the sum by an
# exponentially decaying *average*, so old gradients are forgotten:
#
# $$s \leftarrow \alpha\, s + (1 - \alpha)\, g \odot g, \qquad w \leftarrow w - \frac{\eta}{\sqrt{s} + \epsilon} \odot g
#   \qquad (\alpha \approx 0.9\text{–}0.99).$$
#
# **Adam** (Kingma and Ba 2015) combines momentum (a running mean $m$ of the gradients) with RMSProp's scaling
# (a running mean $v$ of their squares), and corrects both for starting at zero. With the step counter
# $t = 1, 2, \dots$ (it starts at **1**):
#
# $$m \leftarrow \beta_1 m + (1-\beta_1)\, g, \qquad v \leftarrow \beta_2 v + (1 - \beta_2)\, g \odot g,$$
# $$\hat m = \frac{m}{c_1(t)}, \qquad \hat v = \frac{v}{c_2(t)}, \qquad
#   w \leftarrow w - \eta\, \frac{\hat m}{\sqrt{\hat v} + \epsilon}
#   \qquad (\beta_1 = 0.9,\ \beta_2 = 0.999,\ \eta = 10^{-3} \text{ by default}).$$
#
# Why a **bias correction** $c_1(t)$, $c_2(t)$? $m$ and $v$ start at 0, so early on they are averages of a few
# gradients and a lot of zeros: biased towards 0. The factors are chosen so that the corrected means are
# unbiased: when every gradient $g_1, \dots, g_t$ has the same expectation, $\mathbb E[\hat m_t] = \mathbb E[g]$ and
# $\mathbb E[\hat v_t] = \mathbb E[g \odot g]$. Finding them is part of Exercise 5. The cell shows the bias for a
# constant gradient $g = 1$: the raw $m_t$ and $v_t$ should both be 1. $v$ is far more biased than $m$ ($\beta_2$ is
# closer to 1), so uncorrected steps $m_t / \sqrt{v_t}$ come out three to six times too *large*, and $v$'s bias
# takes thousands of steps to fade ($v_t$ reaches 99 % of $g^2$ after about 4600 steps).

# %%
beta1, beta2, g_const = 0.9, 0.999, 1.0
m_run, v_run = 0.0, 0.0
print(" t | m_t (should be 1) | v_t (should be 1) | uncorrected step / lr = m_t / sqrt(v_t) (should be 1)")
uncorrected = []
for t in range(1, 6):
    m_run = beta1 * m_run + (1 - beta1) * g_const
    v_run = beta2 * v_run + (1 - beta2) * g_const**2
    uncorrected.append(m_run / np.sqrt(v_run))
    print(f" {t} | {m_run:17.4f} | {v_run:17.4f} | {uncorrected[-1]:.4f}")
claim(
    "uncorrected first steps are 3 to 6 times too large (smallest of t = 1..5)", min(uncorrected), 3.0, 6.0, fmt=".3g"
)
claim("uncorrected first steps are 3 to 6 times too large (largest of t = 1..5)", max(uncorrected), 3.0, 6.0, fmt=".3g")
v_iter, t_fade = 0.0, 0
while v_iter < 0.99 * g_const**2:  # run v's recursion until it holds 99 % of g^2
    v_iter, t_fade = beta2 * v_iter + (1 - beta2) * g_const**2, t_fade + 1
_ = claim("steps until the raw v_t reaches 99 % of g^2 (about 4600)", t_fade, 4500, 4700, fmt=".0f")

# %% [markdown]
# ### Exercise 4 (1 point): RMSProp
#
# One step of RMSProp as above, returning the new weights and the new running average $s$ (zeros at the start).
# Note where $\epsilon$ goes: **outside** the square root, added to $\sqrt s$ (as in torch). Checked against
# `torch.optim.RMSprop(lr, alpha, eps)`, including its `square_avg` state.


# %% solution id=rmsprop_step forbid=coursekit.optim.RMSprop,torch.optim.RMSprop
def rmsprop_step(w, s, grad, lr, alpha=0.99, eps=1e-8):
    """One step of RMSProp.

    Parameters
    ----------
    w : float array, the weights;  s : float array of w's shape, running mean of squared gradients
    grad : float array of w's shape;  lr, alpha, eps : floats

    Returns
    -------
    (w_new, s_new) : float arrays of w's shape, the weights and the running mean after the step.
    Inputs are not modified.
    """
    ### BEGIN SOLUTION
    s_new = alpha * s + (1.0 - alpha) * grad * grad
    w_new = w - lr * grad / (np.sqrt(s_new) + eps)
    return w_new, s_new
    ### END SOLUTION


# %% tests id=test_rmsprop_step points=1
w1_t, s1_t = rmsprop_step(np.array([1.0]), np.zeros(1), np.array([2.0]), lr=0.01, alpha=0.99)
assert_close(s1_t, np.array([0.04]), name="rmsprop_step: s after one step with g = 2 (0.01 * g**2)")
assert_close(w1_t, np.array([1.0 - 0.01 * 2.0 / (0.2 + 1e-8)]), name="rmsprop_step: w after one step")
rng_t = np.random.default_rng(3)
grads_t = rng_t.normal(size=(25, 3))
w0_t = np.array([0.5, -1.0, 2.0])
ref_path, ref_state = torch_trajectory(
    lambda ps: torch.optim.RMSprop(ps, lr=0.01, alpha=0.9, eps=1e-8), w0_t, lambda w, t: grads_t[t], 25
)
w, s = w0_t.copy(), np.zeros(3)
ours = [w]
for t in range(25):
    w, s = rmsprop_step(w, s, grads_t[t], lr=0.01, alpha=0.9, eps=1e-8)
    ours.append(w)
assert_close(np.array(ours), ref_path, rtol=1e-10, atol=1e-12, name="rmsprop_step: 25-step path vs torch.optim.RMSprop")
assert_close(s, ref_state["square_avg"], rtol=1e-10, atol=1e-14, name="rmsprop_step: final s vs torch's square_avg")
### BEGIN HIDDEN TESTS
# tiny gradients: eps matters, and it must sit outside the square root
rng_t = np.random.default_rng(4)
grads_t = 1e-6 * rng_t.normal(size=(20, 2, 2))
w0_t = np.array([[1.0, -2.0], [0.5, 1.5]])
ref_path, ref_state = torch_trajectory(
    lambda ps: torch.optim.RMSprop(ps, lr=0.01, alpha=0.99, eps=1e-6), w0_t, lambda w, t: grads_t[t], 20
)
w, s = w0_t.copy(), np.zeros((2, 2))
ours = [w]
for t in range(20):
    w, s = rmsprop_step(w, s, grads_t[t], lr=0.01, alpha=0.99, eps=1e-6)
    ours.append(w)
assert_close(np.array(ours), ref_path, rtol=1e-10, atol=1e-12, name="rmsprop_step: path with tiny gradients, eps=1e-6")
w_in, s_in = np.array([1.0, 1.0]), np.array([0.5, 2.0])
w_keep, s_keep = w_in.copy(), s_in.copy()
rmsprop_step(w_in, s_in, np.array([2.0, -2.0]), lr=0.5)
assert_close(w_in, w_keep, rtol=0, atol=0, name="w after rmsprop_step (must not be modified in place)")
assert_close(s_in, s_keep, rtol=0, atol=0, name="s after rmsprop_step (must not be modified in place)")
### END HIDDEN TESTS

# %% [markdown]
# ### Exercise 5 (3 points): Adam, with the bias correction you derive
#
# First the derivation, on paper: unroll $m_t = \beta_1 m_{t-1} + (1 - \beta_1)\, g_t$ from $m_0 = 0$ into a
# weighted sum of $g_1, \dots, g_t$, take its expectation when every $g_i$ has the same expectation, and find the
# $c_1(t)$ that makes $\hat m_t = m_t / c_1(t)$ unbiased; the same argument with $\beta_2$ and $g \odot g$ gives
# $c_2(t)$. (Check yourself against the table above.)
#
# Then write one step of Adam. `t` is the step counter **starting at 1** (the first call gets `t=1`). Return the
# new weights and both running means **as stored state, not bias-corrected** (the correction is applied only to
# compute the step, as torch does); $\epsilon$ is added to $\sqrt{\hat v}$, outside the square root. Checked
# against `torch.optim.Adam`, including its `exp_avg` and `exp_avg_sq` states, also with other betas and with
# gradients so small that $\epsilon$ matters.


# %% solution id=adam_step forbid=coursekit.optim.Adam,torch.optim.Adam,torch.optim.AdamW
def adam_step(w, m, v, grad, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    """One step of Adam.

    Parameters
    ----------
    w : float array, the weights;  m, v : float arrays of w's shape, the running means of the gradient and of
        its square (zeros at the start)
    grad : float array of w's shape;  t : int, the number of this step, 1 on the first call
    lr, beta1, beta2, eps : floats

    Returns
    -------
    (w_new, m_new, v_new) : float arrays of w's shape: the weights after the step and the two running means
    after this step (raw, not bias-corrected). Inputs are not modified.
    """
    ### BEGIN SOLUTION
    m_new = beta1 * m + (1.0 - beta1) * grad
    v_new = beta2 * v + (1.0 - beta2) * grad * grad
    m_hat = m_new / (1.0 - beta1**t)
    v_hat = v_new / (1.0 - beta2**t)
    w_new = w - lr * m_hat / (np.sqrt(v_hat) + eps)
    return w_new, m_new, v_new
    ### END SOLUTION


# %% tests id=test_adam_step points=3
w1_t, m1_t, v1_t = adam_step(np.array([1.0]), np.zeros(1), np.zeros(1), np.array([2.0]), t=1, lr=0.1)
assert_close(m1_t, np.array([0.2]), name="adam_step: m after the first step with g = 2")
assert_close(v1_t, np.array([0.004]), name="adam_step: v after the first step with g = 2")
assert_close(
    w1_t, np.array([1.0 - 0.1 * 2.0 / (2.0 + 1e-8)]), name="adam_step: w after the first step (bias-corrected)"
)
rng_t = np.random.default_rng(5)
grads_t = rng_t.normal(size=(25, 3))
w0_t = np.array([0.5, -1.0, 2.0])
ref_path, ref_state = torch_trajectory(lambda ps: torch.optim.Adam(ps, lr=0.05), w0_t, lambda w, t: grads_t[t], 25)
w, m, v = w0_t.copy(), np.zeros(3), np.zeros(3)
ours = [w]
for t in range(1, 26):
    w, m, v = adam_step(w, m, v, grads_t[t - 1], t, lr=0.05)
    ours.append(w)
assert_close(np.array(ours), ref_path, rtol=1e-10, atol=1e-12, name="adam_step: 25-step path vs torch.optim.Adam")
assert_close(m, ref_state["exp_avg"], rtol=1e-10, atol=1e-14, name="adam_step: final m vs torch's exp_avg")
assert_close(v, ref_state["exp_avg_sq"], rtol=1e-10, atol=1e-14, name="adam_step: final v vs torch's exp_avg_sq")
### BEGIN HIDDEN TESTS
# other betas, position-dependent gradients, and tiny gradients where eps matters
A_t = np.array([[3.0, 0.5], [0.5, 1.0]])
w0_t = np.array([[1.0, -2.0], [0.5, 1.5]])
ref_path, ref_state = torch_trajectory(
    lambda ps: torch.optim.Adam(ps, lr=0.1, betas=(0.8, 0.99), eps=1e-6), w0_t, lambda w, t: 1e-5 * (A_t @ w), 30
)
w, m, v = w0_t.copy(), np.zeros((2, 2)), np.zeros((2, 2))
ours = [w]
for t in range(1, 31):
    w, m, v = adam_step(w, m, v, 1e-5 * (A_t @ w), t, lr=0.1, beta1=0.8, beta2=0.99, eps=1e-6)
    ours.append(w)
assert_close(np.array(ours), ref_path, rtol=1e-10, atol=1e-12, name="adam_step: path with betas (0.8, 0.99), eps=1e-6")
assert_close(m, ref_state["exp_avg"], rtol=1e-10, atol=1e-20, name="adam_step: m with betas (0.8, 0.99)")
assert_close(v, ref_state["exp_avg_sq"], rtol=1e-10, atol=1e-24, name="adam_step: v with betas (0.8, 0.99)")
w_in, m_in, v_in = np.array([1.0, 1.0]), np.array([0.5, -0.5]), np.array([0.1, 0.2])
keep = (w_in.copy(), m_in.copy(), v_in.copy())
adam_step(w_in, m_in, v_in, np.array([2.0, -2.0]), 3, lr=0.5)
assert_close(
    np.stack([w_in, m_in, v_in]),
    np.stack(keep),
    rtol=0,
    atol=0,
    name="w, m, v after adam_step (must not be modified in place)",
)
### END HIDDEN TESTS

# %% [markdown]
# ### Exercise 5b (3 points): build an optimiser from your `adam_step`, then train the MLP with it
#
# A pure update rule is not yet an optimiser: something has to keep the state of **every** parameter between
# steps and count the steps. Write a class `MyAdam` that `coursekit.train.fit` can use in place of
# `coursekit.optim.Adam` (`fit` only calls `zero_grad()` and `step()`):
#
# * `MyAdam(params, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8)`: `params` is an iterable of
#   `coursekit.nn.Parameter` (each has `.data` and `.grad`, arrays of the same shape);
# * `zero_grad()` sets every parameter's gradient to zero (the layers *add* into `.grad`);
# * `step()` moves every parameter once with **your** `adam_step`, using that parameter's gradient and its own
#   running means;
# * the learning rate is the attribute `lr`: a schedule sets `opt.lr = ...` between steps (section 7 does),
#   and the next `step()` uses the new value.
#
# Think about what must be kept per parameter and what once per optimiser, and what `t` must be on the first
# and on the $k$-th call of `step()` whatever the number of parameters. The tests train the same network with
# `MyAdam` and with `coursekit.optim.Adam` and compare every weight; they also check that `step()` does not
# modify the gradients.


# %% solution id=my_adam forbid=coursekit.optim.Adam,torch.optim.Adam,torch.optim.AdamW
class MyAdam:
    """Adam over a list of coursekit Parameters; one `step()` applies `adam_step` to every parameter."""

    def __init__(self, params, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
        ### BEGIN SOLUTION
        self.params = list(params)
        self.lr = lr
        self.betas_eps = {"beta1": beta1, "beta2": beta2, "eps": eps}
        self.m = [np.zeros_like(p.data) for p in self.params]
        self.v = [np.zeros_like(p.data) for p in self.params]
        self.t = 0
        ### END SOLUTION

    def zero_grad(self):
        ### BEGIN SOLUTION
        for p in self.params:
            p.grad[...] = 0.0
        ### END SOLUTION

    def step(self):
        ### BEGIN SOLUTION
        self.t += 1  # one step of the optimiser, whatever the number of parameters
        for i, p in enumerate(self.params):
            p.data, self.m[i], self.v[i] = adam_step(
                p.data, self.m[i], self.v[i], p.grad, self.t, lr=self.lr, **self.betas_eps
            )
        ### END SOLUTION


# %% tests id=test_my_adam points=3
def adam_twins(seed, make_optimizer, steps=12):
    """The MLP trained for `steps` mini-batches by `make_optimizer` and by coursekit's Adam (lr 0.01)."""
    twins, loss_t = [], nn.CrossEntropyLoss()
    for make in (make_optimizer, lambda ps: optim.Adam(ps, lr=0.01)):
        model, batches = make_mlp(seed=seed), np.random.default_rng(seed)
        opt = make(model.parameters())
        for _ in range(steps):
            idx = batches.choice(N_train, size=32, replace=False)
            opt.zero_grad()
            loss_t.forward(model(X_train[idx]), y_train[idx])
            model.backward(loss_t.backward())
            opt.step()
        twins.append([p.data.copy() for p in model.parameters()])
    return twins


ours_t, ref_t = adam_twins(0, lambda ps: MyAdam(ps, lr=0.01), steps=1)
for i, (a, b) in enumerate(zip(ours_t, ref_t, strict=True)):  # b: coursekit's Adam, not yours
    assert_close(a, b, rtol=1e-9, atol=1e-12, name=f"MyAdam: parameter {i} of the MLP after the first step")
ours_t, ref_t = adam_twins(0, lambda ps: MyAdam(ps, lr=0.01), steps=12)
for i, (a, b) in enumerate(zip(ours_t, ref_t, strict=True)):  # b: coursekit's Adam, not yours
    assert_close(a, b, rtol=1e-8, atol=1e-10, name=f"MyAdam: parameter {i} of the MLP after 12 steps")
### BEGIN HIDDEN TESTS
ours_t, ref_t = adam_twins(1, lambda ps: MyAdam(ps, lr=0.01), steps=30)
for i, (a, b) in enumerate(zip(ours_t, ref_t, strict=True)):  # b: coursekit's Adam, not yours
    assert_close(a, b, rtol=1e-8, atol=1e-10, name=f"MyAdam: parameter {i} after 30 steps (another seed)")
p1, p2 = nn.Parameter(np.array([1.0, -2.0])), nn.Parameter(np.array([[0.5], [3.0]]))
r1, r2 = nn.Parameter(p1.data.copy()), nn.Parameter(p2.data.copy())
mine, ref = (
    MyAdam([p1, p2], lr=0.1, beta1=0.8, beta2=0.99, eps=1e-6),
    optim.Adam([r1, r2], lr=0.1, betas=(0.8, 0.99), eps=1e-6),
)
for k in range(5):
    for p, r in ((p1, r1), (p2, r2)):
        g = np.cos(k + p.data) + 0.1 * k
        p.grad[...], r.grad[...] = g, g
    g_keep = p1.grad.copy()
    mine.step()
    ref.step()
    assert_close(p1.grad, g_keep, rtol=0, atol=0, name="p.grad after MyAdam.step() (must not be modified)")
    mine.zero_grad()
    ref.zero_grad()
    assert_close(p1.grad, np.zeros(2), rtol=0, atol=0, name="p.grad after MyAdam.zero_grad()")
    assert_close(
        p1.data, r1.data, rtol=1e-12, atol=1e-14, name=f"MyAdam, 2 parameters, betas (0.8, 0.99): p1 after step {k + 1}"
    )
    assert_close(
        p2.data, r2.data, rtol=1e-12, atol=1e-14, name=f"MyAdam, 2 parameters, betas (0.8, 0.99): p2 after step {k + 1}"
    )
# a schedule changes opt.lr between steps
p1, r1 = nn.Parameter(np.array([1.0, -2.0, 0.5])), nn.Parameter(np.array([1.0, -2.0, 0.5]))
mine, ref = MyAdam([p1], lr=0.1), optim.Adam([r1], lr=0.1)
for k, lr_k in enumerate((0.1, 0.03, 0.3, 0.01)):
    mine.lr, ref.lr = lr_k, lr_k
    p1.grad[...] = r1.grad[...] = np.sin(k + p1.data)
    mine.step()
    ref.step()
    assert_close(p1.data, r1.data, rtol=1e-12, atol=1e-14, name=f"MyAdam after setting opt.lr = {lr_k} (step {k + 1})")
### END HIDDEN TESTS

# %% [markdown]
# ### All of them on two surfaces
#
# The ravine again, now with the adaptive methods (SGD at $\eta = 0.02$ for reference), and **Rosenbrock's banana**
# $f(x, y) = (1 - x)^2 + 100\,(y - x^2)^2$ (minimum at $(1, 1)$ at the bottom of a curved, flat-bottomed valley):
# the classic test of an optimiser. Each method gets a learning rate that works for it (a method is only as good
# as its tuned learning rate); the stars mark the minima.


# %%
def rosenbrock(x, y):
    """Rosenbrock's function (elementwise)."""
    return (1 - x) ** 2 + 100 * (y - x**2) ** 2


def rosenbrock_grad(w):
    """Gradient of `rosenbrock` at w of shape (2,)."""
    x, y = w
    return np.array([-2 * (1 - x) - 400 * x * (y - x**2), 200 * (y - x**2)])


optimizers_2d = {
    "SGD": (lambda ps: optim.SGD(ps, lr=1e-3), lambda ps: optim.SGD(ps, lr=LR_BOWL)),
    "momentum": (lambda ps: optim.SGD(ps, lr=1e-3, momentum=0.9), lambda ps: optim.SGD(ps, lr=LR_BOWL, momentum=0.9)),
    "Nesterov": (
        lambda ps: optim.SGD(ps, lr=1e-3, momentum=0.9, nesterov=True),
        lambda ps: optim.SGD(ps, lr=LR_BOWL, momentum=0.9, nesterov=True),
    ),
    "AdaGrad": (lambda ps: optim.AdaGrad(ps, lr=0.5), lambda ps: optim.AdaGrad(ps, lr=1.2)),
    "RMSProp": (lambda ps: optim.RMSprop(ps, lr=0.01), lambda ps: optim.RMSprop(ps, lr=0.15)),
    "Adam": (lambda ps: optim.Adam(ps, lr=0.05), lambda ps: optim.Adam(ps, lr=0.5)),
}
paths_rosen = {k: run_optimizer(mk[0], rosenbrock_grad, [-1.2, 1.0], 1000) for k, mk in optimizers_2d.items()}
paths_bowl_all = {k: run_optimizer(mk[1], bowl_grad, W0_BOWL, 60) for k, mk in optimizers_2d.items()}
adaptive_paths = {k: paths_bowl_all[k] for k in ("SGD", "AdaGrad", "RMSProp", "Adam")}
fig = plot.plot_optimizer_paths(
    bowl, adaptive_paths, (-11, 5), (-1.3, 1.3), minimum=(0, 0), levels=15, title="Ravine, 60 steps: adaptive methods"
)
plt.show()
fig = plot.plot_optimizer_paths(
    rosenbrock,
    paths_rosen,
    (-2, 2),
    (-0.5, 2.5),
    minimum=(1, 1),
    levels=15,
    title="Rosenbrock from (-1.2, 1), 1000 steps",
    xlabel="x",
    ylabel="y",
)
plt.show()
print("optimiser | ravine: distance after 60 | Rosenbrock: distance to (1, 1) after 1000")
d_rosen = {k: np.linalg.norm(path[-1] - 1.0) for k, path in paths_rosen.items()}
for k in optimizers_2d:
    print(f"{k:9s} | {np.linalg.norm(paths_bowl_all[k][-1]):25.4f} | {d_rosen[k]:.4f}")
claim("Rosenbrock: plain SGD is still more than 1 away from (1, 1)", d_rosen["SGD"], 1.0, np.inf, fmt=".3g")
claim(
    "Rosenbrock: momentum and Nesterov closest (the farther of the two / the nearest other method)",
    max(d_rosen["momentum"], d_rosen["Nesterov"]) / min(d_rosen[k] for k in ("SGD", "AdaGrad", "RMSProp", "Adam")),
    0.0,
    1.0,
    fmt=".3g",
)
claim(
    "Rosenbrock: Adam ahead of RMSProp ahead of AdaGrad (RMSProp / Adam)",
    d_rosen["RMSProp"] / d_rosen["Adam"],
    1.0,
    np.inf,
    fmt=".3g",
)
_ = claim(
    "Rosenbrock: AdaGrad slowest adaptive method (AdaGrad / RMSProp)",
    d_rosen["AdaGrad"] / d_rosen["RMSProp"],
    1.0,
    np.inf,
    fmt=".3g",
)

# %% [markdown]
# What to read in the pictures. On the ravine, the adaptive methods move both coordinates at about the same
# speed: dividing by each coordinate's gradient scale makes the step roughly $\eta$ in every direction, whatever
# the curvature, so the shallow direction no longer waits for the steep one (and the learning rate is no longer
# capped by the steepest direction). Adam's momentum adds some swinging across the valley. (AdaGrad and RMSProp
# are close relatives: while few gradients have been averaged, $s \approx (1-\alpha) G$, so RMSProp with rate
# $\eta$ first behaves like AdaGrad with rate $\eta / \sqrt{1-\alpha} = 10\eta$; they part ways once RMSProp
# starts to forget old gradients.) On Rosenbrock, plain
# gradient descent needs a small rate (the walls are steep) and then creeps: after 1000 steps it has hardly
# entered the valley. Momentum and Nesterov, with the same rate, build up speed along the curved valley floor
# (zig-zagging across it at first) and get closest to $(1, 1)$; Adam follows the floor smoothly; RMSProp is
# slower, and AdaGrad, whose denominator only grows, slowest of the adaptive methods. Toy surfaces with
# hand-picked rates do not rank optimisers, though: the next experiment trains a real network.
#
# ## 6. Training the same network with each optimiser
#
# One two-layer MLP (64 → 64 ReLU → 10, the same He initialisation for every run), the digits, 15 epochs of
# mini-batches of 32, with `coursekit.train.fit` (through the helper `train_mlp` defined with `make_mlp`). Each optimiser gets a common, untuned learning rate: 0.01 for
# the SGD family, 0.05 for AdaGrad (torch's default is 0.01), $10^{-3}$ for RMSProp (Keras's default; torch's is
# 0.01) and for Adam (the default of both).

# %% tags=heavy
mlp_optimizers = {
    "SGD": lambda ps: optim.SGD(ps, lr=0.01),
    "momentum": lambda ps: optim.SGD(ps, lr=0.01, momentum=0.9),
    "Nesterov": lambda ps: optim.SGD(ps, lr=0.01, momentum=0.9, nesterov=True),
    "AdaGrad": lambda ps: optim.AdaGrad(ps, lr=0.05),
    "RMSProp": lambda ps: optim.RMSprop(ps, lr=1e-3),
    "Adam": lambda ps: optim.Adam(ps, lr=1e-3),
}
histories = {name: train_mlp(make_opt, epochs=15) for name, make_opt in mlp_optimizers.items()}
fig = plot.plot_curves(
    {k: h.train_loss for k, h in histories.items()},
    logy=True,
    title="Same MLP, same batches: training loss per optimiser",
    ylabel="training loss",
)
plt.show()
print("optimiser | train loss after 1 / 5 / 15 epochs | validation accuracy")
for name, h in histories.items():
    print(f"{name:9s} | {h.train_loss[0]:.4f} / {h.train_loss[4]:.4f} / {h.train_loss[-1]:.4f}   | {h.val_acc[-1]:.4f}")
final_loss = {name: h.train_loss[-1] for name, h in histories.items()}
claim(
    "momentum ends with a ~10x lower training loss than SGD at the same rate (ratio)",
    final_loss["SGD"] / final_loss["momentum"],
    5.0,
    20.0,
    fmt=".3g",
)
claim(
    "Nesterov tracks momentum (ratio of final losses)",
    final_loss["Nesterov"] / final_loss["momentum"],
    0.9,
    1.1,
    fmt=".3g",
)
claim(
    "AdaGrad fastest (next-lowest final loss / AdaGrad's)",
    min(v for k, v in final_loss.items() if k != "AdaGrad") / final_loss["AdaGrad"],
    1.0,
    np.inf,
    fmt=".3g",
)
claim(
    "RMSProp close to momentum (ratio of final losses)",
    final_loss["RMSProp"] / final_loss["momentum"],
    0.5,
    2.0,
    fmt=".3g",
)
claim(
    "Adam at 1e-3 starts slowly (its epoch-1 loss / momentum's)",
    histories["Adam"].train_loss[0] / histories["momentum"].train_loss[0],
    1.0,
    np.inf,
    fmt=".3g",
)
_ = claim(
    "validation accuracies within a few points once the loss is low (spread, all but SGD)",
    np.ptp([h.val_acc[-1] for k, h in histories.items() if k != "SGD"]),
    0.0,
    0.04,
    fmt=".3f",
)

# %% [markdown]
# Plain SGD at 0.01 is the slowest by far; momentum with the same rate ends with a training loss about ten
# times lower (5 to 20 times, checked above: the $1/(1-\mu)$ amplification along consistent directions), and
# Nesterov tracks it within 10 %. AdaGrad is the fastest here and RMSProp is close to momentum (within a factor
# of 2); Adam at its default $10^{-3}$ starts slowly on this small problem (that default is deliberately
# cautious; a few times larger would be faster). On validation accuracy the differences are small once the loss
# is low (all but SGD within 4 points): the digits are an easy problem. On large problems the
# common advice is Adam as a robust default, and SGD with momentum plus a decay schedule when the last point of
# accuracy matters.
#
# ### Your optimiser in the same run
#
# Now the optimiser you built in Exercise 5b does the training: the same network, the same batches, the same
# learning rate $10^{-3}$ as the Adam run above, with `MyAdam` in place of `coursekit.optim.Adam`. A correct
# `MyAdam` follows the same path to rounding error, epoch after epoch.

# %% tags=heavy
h_mine = train_mlp(lambda ps: MyAdam(ps, lr=1e-3), epochs=15)
gap = np.max(np.abs(np.array(h_mine.train_loss) - np.array(histories["Adam"].train_loss)))
print(
    f"MyAdam: training loss after 15 epochs {h_mine.train_loss[-1]:.4f}, validation accuracy {h_mine.val_acc[-1]:.4f}"
)
print(f"largest difference from coursekit's Adam over the 15 epochs: {'below 1e-8' if gap < 1e-8 else f'{gap:.1e}'}")

# %% [markdown]
# ## 7. The learning rate
#
# The learning rate is the single most important hyper-parameter of SGD and of SGD with momentum. The lecture's
# four curves, reproduced: a **very high** rate makes the loss explode; a **high** one drops fast and then
# stalls at a high level (it bounces around the bottom of the valley); a **low** one decreases slowly, almost
# linearly; a **good** one drops quickly and keeps improving. SGD with momentum 0.9, 12 epochs.
#
# At the high rates training is *chaotic*: a difference in the last bit of one product (another CPU, another
# BLAS) grows until the run takes another course, and one run's numbers mean little. So every rate is trained
# from 5 seeds (initialisation and batch order); the figure shows seed 0, the table the median and the range over
# the seeds, and the claims below hold for any seeds we tried. The exact digits differ from machine to machine.

# %% tags=heavy,nbval-ignore-output
LR_SEEDS = range(5)


def train_loss_curve(lr, seed, epochs=12):
    """Training loss per epoch of the MLP trained by SGD + momentum 0.9 at `lr` (model and batches from `seed`)."""
    model = make_mlp(seed=seed)
    opt = optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    h = fit(
        model, nn.CrossEntropyLoss(), opt, (X_train, y_train), epochs=epochs, batch_size=32, progress=False, seed=seed
    )
    return np.array(h.train_loss)


LR_GRID = {"very high": 0.5, "high": 0.15, "low": 1e-4, "good": 0.03}
lr_runs = {label: np.array([train_loss_curve(lr, seed) for seed in LR_SEEDS]) for label, lr in LR_GRID.items()}
print("rate        lr     | training loss, median over 5 seeds (min-max): after epoch 1   after epoch 12")
for label, runs in lr_runs.items():
    first, last = runs[:, 0], runs[:, -1]
    print(
        f"{label:9s} {LR_GRID[label]:<8g} | {np.median(first):10.3g} ({first.min():.2g}-{first.max():.2g})"
        f"   {np.median(last):10.3g} ({last.min():.2g}-{last.max():.2g})"
    )
fig = plot.plot_curves(
    {f"{label} (lr {LR_GRID[label]:g})": runs[0] for label, runs in lr_runs.items()},
    logy=True,
    title="Learning rate: SGD + momentum 0.9 (seed 0)",
    ylabel="training loss",
)
fig.axes[0].set_ylim(1e-3, 1e2)  # the "very high" curve leaves the chart upwards
plt.show()
final = {label: runs[:, -1] for label, runs in lr_runs.items()}
claim("very high (0.5) explodes: smallest final loss over the seeds", final["very high"].min(), 1e3, np.inf, fmt=".2g")
claim(
    "high (0.15) drops faster in epoch 1 than good (median epoch-1 loss, high / good)",
    np.median(lr_runs["high"][:, 0]) / np.median(lr_runs["good"][:, 0]),
    0.0,
    1.0,
    fmt=".2f",
)
claim(
    "high (0.15) then stalls: median final loss, high / good",
    np.median(final["high"]) / np.median(final["good"]),
    5.0,
    np.inf,
    fmt=".2g",
)
claim("low (1e-4) crawls: final losses between", final["low"].min(), 1.5, 2.5, fmt=".3g")
claim("low (1e-4) crawls: final losses between (largest)", final["low"].max(), 1.5, 2.5, fmt=".3g")
_ = claim("good (0.03): largest final loss over the seeds", final["good"].max(), 0.0, 0.03, fmt=".2g")

# %% [markdown]
# Over the five seeds (the claims above): $\eta = 0.5$ explodes every time (final loss above $10^3$);
# $\eta = 0.15$ drops fastest in the first epoch and then stalls, its median final loss at least five times that
# of the good rate (single runs differ by orders of magnitude: that is the chaos);
# $\eta = 10^{-4}$ is still between 1.5 and 2.5 after 12 epochs; $\eta = 0.03$ ends below 0.03 for every seed.
#
# ### Decaying the learning rate
#
# Early in training a large rate makes fast progress; late in training it keeps the weights bouncing around the
# minimum. So decay it over time, once per epoch $t$:
#
# - **step decay**: multiply by a factor every few epochs, e.g. halve it every 5 epochs,
#   $\alpha_t = \alpha_0\, \gamma^{\lfloor t / s \rfloor}$ (`coursekit.optim.StepLR`);
# - **exponential decay**: $\alpha_t = \alpha_0\, e^{-kt}$ (`coursekit.optim.ExponentialLR` with $\gamma = e^{-k}$);
# - **$1/t$ decay**: $\alpha_t = \alpha_0 / (1 + kt)$ (`coursekit.optim.InverseTimeLR`).
#
# The experiment starts from the "high" rate 0.15 above, where a constant rate stalls, and lets each schedule
# bring it down (`fit(..., scheduler=...)` calls `scheduler.step()` after every epoch). The constant rate is
# chaotic, so again 5 seeds, the figure for seed 0 and the statistics over all of them.

# %% tags=heavy,nbval-ignore-output
schedules = {
    "constant": lambda o: None,
    "step (halve every 5)": lambda o: optim.StepLR(o, step_size=5, gamma=0.5),
    "exponential (k = 0.15)": lambda o: optim.ExponentialLR(o, gamma=np.exp(-0.15)),
    "1/t (k = 0.3)": lambda o: optim.InverseTimeLR(o, k=0.3),
}


def train_with_schedule(make_sched, seed):
    """History of 20 epochs of SGD + momentum 0.9 from lr 0.15 under a schedule (None: constant)."""
    model = make_mlp(seed=seed)
    opt = optim.SGD(model.parameters(), lr=0.15, momentum=0.9)
    data_sets = (X_train, y_train), (X_val, y_val)
    return fit(
        model,
        nn.CrossEntropyLoss(),
        opt,
        *data_sets,
        epochs=20,
        batch_size=32,
        scheduler=make_sched(opt),
        progress=False,
        seed=seed,
    )


sched_runs = {name: [train_with_schedule(make, seed) for seed in LR_SEEDS] for name, make in schedules.items()}
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.3))
plot.plot_curves({k: h[0].lr for k, h in sched_runs.items()}, title="Learning rate per epoch", ylabel="lr", ax=ax1)
plot.plot_curves(
    {k: h[0].train_loss for k, h in sched_runs.items()},
    logy=True,
    ax=ax2,
    title="Training loss (SGD + momentum, lr0 = 0.15, seed 0)",
    ylabel="training loss",
)
plt.show()
final_sched = {name: np.array([h.train_loss[-1] for h in hs]) for name, hs in sched_runs.items()}
first_below = {  # first epoch (1-based) whose training loss is below 0.05; 21 = never
    name: np.array([next((e + 1 for e, v in enumerate(h.train_loss) if v < 0.05), 21) for h in hs])
    for name, hs in sched_runs.items()
}
print("schedule                final lr | final training loss, median (min-max) | first epoch below 0.05, median")
for name, hs in sched_runs.items():
    loss = final_sched[name]
    print(
        f"{name:23s} {hs[0].lr[-1]:8.4f} | {np.median(loss):17.2g} ({loss.min():.1g}-{loss.max():.1g})"
        f"        | {np.median(first_below[name]):.0f}"
    )
decayed = np.concatenate([final_sched[k] for k in schedules if k != "constant"])
claim(
    "constant lr 0.15 stays high: median final training loss over the seeds",
    np.median(final_sched["constant"]),
    0.1,
    np.inf,
    fmt=".2g",
)
claim("every schedule, every seed: final training loss", decayed.max(), 0.0, 0.01, fmt=".2g")
claim(
    "orders of magnitude: median constant / median scheduled",
    np.median(final_sched["constant"]) / np.median(decayed),
    100,
    np.inf,
    fmt=".2g",
)
for name in ("exponential (k = 0.15)", "1/t (k = 0.3)"):
    claim(f"{name}: median first epoch below 0.05", np.median(first_below[name]), 1, 8, fmt=".0f")
_ = claim(
    "step: median first epoch below 0.05 (after a drop: epoch 6 or later)",
    np.median(first_below["step (halve every 5)"]),
    6,
    13,
    fmt=".0f",
)

# %% [markdown]
# With the constant rate the loss stays high and erratic: its median final value over the seeds is above 0.1
# (single runs differ by orders of magnitude; now and then one settles by luck). As soon as a schedule brings the
# rate low enough the loss drops by orders of magnitude: every scheduled run, every seed, ends below 0.01, and
# their median is at least a hundred times below the constant rate's. The smooth schedules get below 0.05 within
# the first 8 epochs (median); the step schedule keeps 0.15 for five epochs and gets there only after
# a drop (epoch 6 or later, sometimes only after its second drop at epoch 11). How fast to decay is one more
# hyper-parameter: too fast and training freezes before it has got anywhere.
#
# ### Exercise 6 (1 point, a warm-up): the three schedules
#
# Write the three schedules as functions of the epoch `t` (0 for the first epoch, when the rate is still
# $\alpha_0$). `t` may be a Python int or a NumPy array of ints (then return an array of rates, one per epoch).


# %% solution id=lr_schedules forbid=coursekit.optim.StepLR,coursekit.optim.ExponentialLR,coursekit.optim.InverseTimeLR,torch.optim.lr_scheduler.StepLR,torch.optim.lr_scheduler.ExponentialLR,torch.optim.lr_scheduler.LambdaLR
def step_decay(lr0, t, step_size, gamma=0.5):
    """lr0 * gamma ** floor(t / step_size): multiply by gamma every step_size epochs."""
    ### BEGIN SOLUTION
    return lr0 * gamma ** (np.asarray(t) // step_size)
    ### END SOLUTION


def exponential_decay(lr0, t, k):
    """lr0 * exp(-k t)."""
    ### BEGIN SOLUTION
    return lr0 * np.exp(-k * np.asarray(t))
    ### END SOLUTION


def inverse_time_decay(lr0, t, k):
    """lr0 / (1 + k t)."""
    ### BEGIN SOLUTION
    return lr0 / (1.0 + k * np.asarray(t))
    ### END SOLUTION


# %% tests id=test_lr_schedules points=1
epochs_t = np.arange(7)
assert_close(
    step_decay(0.1, epochs_t, step_size=3),
    np.array([0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025]),
    name="step_decay(0.1, t = 0..6, step_size=3): halves every 3 epochs",
)
assert_close(exponential_decay(1.0, 2, k=0.5), np.exp(-1.0), name="exponential_decay(1, t=2, k=0.5)")
assert_close(
    inverse_time_decay(0.5, np.array([0, 1, 4]), k=0.25),
    np.array([0.5, 0.4, 0.25]),
    name="inverse_time_decay(0.5, t = [0, 1, 4], k=0.25)",
)


### BEGIN HIDDEN TESTS
# against torch's schedulers, stepped once per epoch
def torch_lrs(make_sched, lr0, n):
    opt_t = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=lr0)
    sched = make_sched(opt_t)
    lrs = []
    for _ in range(n):
        lrs.append(opt_t.param_groups[0]["lr"])
        opt_t.step()
        sched.step()
    return np.array(lrs)


ts = np.arange(25)
assert_close(
    step_decay(0.3, ts, step_size=4, gamma=0.1),
    torch_lrs(lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=4, gamma=0.1), 0.3, 25),
    rtol=1e-12,
    atol=0,
    name="step_decay vs torch StepLR(step_size=4, gamma=0.1)",
)
assert_close(
    exponential_decay(0.3, ts, k=0.2),
    torch_lrs(lambda o: torch.optim.lr_scheduler.ExponentialLR(o, gamma=np.exp(-0.2)), 0.3, 25),
    rtol=1e-12,
    atol=0,
    name="exponential_decay vs torch ExponentialLR(gamma=exp(-k))",
)
assert_close(
    inverse_time_decay(0.3, ts, k=0.7),
    torch_lrs(lambda o: torch.optim.lr_scheduler.LambdaLR(o, lambda e: 1 / (1 + 0.7 * e)), 0.3, 25),
    rtol=1e-12,
    atol=0,
    name="inverse_time_decay vs torch LambdaLR(1 / (1 + k t))",
)
assert_close(step_decay(2.0, 5, step_size=5), 1.0, name="step_decay(2.0, t=5, step_size=5): first drop at t = 5")
assert_close(exponential_decay(0.1, 0, k=3.0), 0.1, name="exponential_decay at t = 0")
assert_close(inverse_time_decay(0.1, 0, k=3.0), 0.1, name="inverse_time_decay at t = 0")
### END HIDDEN TESTS

# %% [markdown]
# ### Warm-up, then cosine: the schedule of modern training
#
# Two observations shape the schedule that trains most large networks today (Goyal et al. 2017 for the
# warm-up, Loshchilov and Hutter 2017 for the cosine):
#
# - **Warm-up.** At the very start the weights are random and the optimiser's statistics (the momentum, Adam's
#   $v$) rest on a handful of gradients, so a large rate can throw the network into a bad region within a few
#   steps. The rate therefore *grows linearly* from a small value to its peak $\eta_\max$ over the first $W$ steps.
# - **Cosine decay.** After the warm-up the rate falls from the peak to a floor $\eta_\min$ (often 0) along half
#   a period of a cosine: it stays near the peak for a while (fast progress), falls fastest in the middle and
#   flattens out near the floor (fine convergence), with one knob: the length $T$ of the run.
#
# The convention used here is that of `coursekit.optim.WarmupCosineLR` and of torch's `SequentialLR` chaining
# `LinearLR(start_factor=1/W, total_iters=W-1)` and `CosineAnnealingLR(T_max=T-W, eta_min=min_lr)`, for the step
# counter $t = 0, 1, 2, \dots$ (here one step per epoch; large models step it once per mini-batch):
#
# - warm-up, $0 \le t < W$: the rate is linear in $t$, with $\eta_0 = \eta_\max / W$ (never 0: a step at rate 0
#   is wasted) and $\eta_{W-1} = \eta_\max$;
# - decay, $W \le t \le T$: $\eta_t = \eta_\min + (\eta_\max - \eta_\min)\, h(t)$, where $h$ follows half a period
#   of a cosine, from its maximum to its minimum, shifted and rescaled so that $h(W) = 1$ and $h(T) = 0$
#   (so $\eta_W = \eta_\max$ as well, and half-way, at $t = (W + T)/2$, the rate is the mean of peak and floor);
# - after the run, $t > T$: the rate stays at $\eta_\min$ (torch's cosine would climb again: it is periodic).
#
# ### Exercise 6b (3 points): the warm-up + cosine schedule
#
# Work out $h(t)$, then write `warmup_cosine_lr`. What the tests check:
#
# - `t` is a Python int or a NumPy array of ints of any shape: return a float for an int, an array of `t`'s
#   shape for an array (one rate per entry), and never modify `t`;
# - `warmup_steps = 0` means no warm-up (the rate starts at the peak and the cosine starts at $t = 0$);
# - your rates equal torch's `SequentialLR` above to $10^{-12}$ for $0 \le t \le T$, and stay at `min_lr`
#   after $T$;
# - a `ValueError` whose message names the offending argument: `warmup_steps` when `warmup_steps < 0`,
#   `total_steps` when `total_steps <= warmup_steps`, `t` when some `t < 0`.
#
# NumPy and `math` only: not `coursekit.optim.WarmupCosineLR` nor torch's schedulers.


# %% solution id=warmup_cosine_lr forbid=coursekit.optim.WarmupCosineLR,torch.optim.lr_scheduler.CosineAnnealingLR,torch.optim.lr_scheduler.SequentialLR,torch.optim.lr_scheduler.LinearLR,torch.optim.lr_scheduler.LambdaLR
def warmup_cosine_lr(t, lr_max, warmup_steps, total_steps, min_lr=0.0):
    """Learning rate at step t of a linear warm-up followed by a cosine decay (see the rules above).

    Parameters
    ----------
    t : int or int array of any shape, the step counter (0 on the first step), not modified
    lr_max : float, the peak rate;  min_lr : float, the floor
    warmup_steps : int W >= 0;  total_steps : int T > W, where the cosine reaches min_lr

    Returns
    -------
    float (for an int t) or float array of t's shape: the rate at each t
    """
    ### BEGIN SOLUTION
    if warmup_steps < 0:
        raise ValueError(f"warmup_cosine_lr: warmup_steps must be >= 0, got {warmup_steps}")
    if total_steps <= warmup_steps:
        raise ValueError(f"warmup_cosine_lr: total_steps ({total_steps}) must exceed warmup_steps ({warmup_steps})")
    t = np.asarray(t)
    if np.any(t < 0):
        raise ValueError("warmup_cosine_lr: every step t must be >= 0")
    warm = lr_max * (t + 1) / max(warmup_steps, 1)
    progress = np.clip(t - warmup_steps, 0, total_steps - warmup_steps) / (total_steps - warmup_steps)
    cosine = min_lr + (lr_max - min_lr) * 0.5 * (1.0 + np.cos(np.pi * progress))
    rate = np.where(t < warmup_steps, warm, cosine)
    return rate if rate.ndim else float(rate)
    ### END SOLUTION


# %% tests id=test_warmup_cosine_lr points=3
rates_t = warmup_cosine_lr(np.arange(21), 0.4, 4, 20, min_lr=0.1)
assert_shape(rates_t, (21,), name="warmup_cosine_lr(t = 0..20, lr_max=0.4, W=4, T=20, min_lr=0.1)")
assert_close(rates_t[0], 0.1, name="rate at t = 0: lr_max / W")
assert_close(rates_t[3], 0.4, name="rate at t = W - 1 = 3: the peak, end of the warm-up")
assert_close(np.diff(rates_t[:4]), np.full(3, 0.1), name="warm-up increments (linear in t: equal steps)")
assert_close(rates_t[4], 0.4, name="rate at t = W = 4: the peak, start of the cosine")
assert_close(rates_t[12], 0.25, name="rate half-way through the cosine (t = 12): mean of peak and floor")
assert_close(rates_t[20], 0.1, name="rate at t = T = 20: the floor min_lr")
assert np.all(np.diff(rates_t[4:]) < 0), "warmup_cosine_lr: the rate must decrease at every step from t = W to T"
assert_close(warmup_cosine_lr(25, 0.4, 4, 20, min_lr=0.1), 0.1, name="rate at t = 25 > T: stays at min_lr")


### BEGIN HIDDEN TESTS

def torch_warmup_cosine(lr_max, warmup, total, min_lr):
    """torch's rates for t = 0..total: SequentialLR(LinearLR, CosineAnnealingLR), or the cosine alone for W = 0."""
    opt_t = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=lr_max)
    cosine = torch.optim.lr_scheduler.CosineAnnealingLR(opt_t, T_max=total - warmup, eta_min=min_lr)
    sched = cosine
    if warmup > 0:
        linear = torch.optim.lr_scheduler.LinearLR(opt_t, start_factor=1 / warmup, total_iters=warmup - 1)
        sched = torch.optim.lr_scheduler.SequentialLR(opt_t, [linear, cosine], milestones=[warmup])
    rates = []
    for _ in range(total + 1):
        rates.append(opt_t.param_groups[0]["lr"])
        opt_t.step()
        sched.step()
    return np.array(rates)


for lr_max_t, w_t, big_t, floor_t in ((0.3, 5, 30, 0.0), (1.0, 1, 12, 0.01), (0.05, 3, 4, 0.02), (0.2, 0, 10, 0.0)):
    assert_close(
        warmup_cosine_lr(np.arange(big_t + 1), lr_max_t, w_t, big_t, min_lr=floor_t),
        torch_warmup_cosine(lr_max_t, w_t, big_t, floor_t),
        rtol=1e-12,
        atol=1e-15,
        name=f"warmup_cosine_lr vs torch (lr_max={lr_max_t}, W={w_t}, T={big_t}, min_lr={floor_t})",
    )
assert_close(
    warmup_cosine_lr(np.arange(13, 40), 0.3, 2, 12, min_lr=0.05),
    np.full(27, 0.05),
    rtol=1e-14,
    atol=0,
    name="warmup_cosine_lr after T (t = 13..39): min_lr",
)
t_grid = np.array([[0, 1], [7, 50]])
t_keep = t_grid.copy()
out_t = warmup_cosine_lr(t_grid, 0.3, 2, 10)
assert_shape(out_t, (2, 2), name="warmup_cosine_lr on a (2, 2) array of steps")
assert_close(t_grid, t_keep, rtol=0, atol=0, name="t after warmup_cosine_lr (must not be modified)")
assert np.ndim(warmup_cosine_lr(3, 0.3, 2, 10)) == 0, "warmup_cosine_lr(int t, ...) must return one number"
for bad_args, arg_name in (
    ((3, 0.1, -1, 10), "warmup_steps"),
    ((3, 0.1, 5, 5), "total_steps"),
    ((-1, 0.1, 2, 10), "t"),
):
    assert_raises(ValueError, warmup_cosine_lr, *bad_args, mentions=(arg_name,), name=f"warmup_cosine_lr{bad_args}")
### END HIDDEN TESTS

# %% [markdown]
# ### Your schedule and your optimiser train the MLP
#
# Now the two pieces you built work together: `fit` steps a schedule once per epoch, and the small adapter below
# turns any function of $t$ (your `warmup_cosine_lr`) into such a schedule by setting your `MyAdam`'s `lr`. The
# experiment takes Adam at a peak rate of 0.05, fifty times its default and far into the range where a constant
# rate stalls (the "high" curve of the previous section), and trains the MLP for 10 epochs: with that constant
# rate, and with a 2-epoch warm-up to the same peak followed by a cosine decay to 0. The constant rate is chaotic,
# so the statistics come from 5 seeds, with the references (`coursekit.optim.Adam`, `WarmupCosineLR`); your
# optimiser with your schedule runs seed 0, which must follow the reference run.


# %% tags=heavy,nbval-ignore-output
class FunctionSchedule:
    """A schedule for `fit`: sets `optimizer.lr = lr_at(t)` at t = 0 (when created) and after each epoch."""

    def __init__(self, optimizer, lr_at):
        self.optimizer, self.lr_at, self.t = optimizer, lr_at, 0
        optimizer.lr = float(lr_at(0))

    def step(self):
        self.t += 1
        self.optimizer.lr = float(self.lr_at(self.t))


PEAK, WARMUP, EPOCHS_WC = 0.05, 2, 10
h_yours = train_mlp(
    lambda ps: MyAdam(ps, lr=PEAK),
    epochs=EPOCHS_WC,
    make_scheduler=lambda o: FunctionSchedule(o, lambda t: warmup_cosine_lr(t, PEAK, WARMUP, EPOCHS_WC)),
)
wc_runs = {
    "constant 0.05": [train_mlp(lambda ps: optim.Adam(ps, lr=PEAK), epochs=EPOCHS_WC, seed=s) for s in LR_SEEDS],
    "warm-up 2 + cosine": [
        train_mlp(
            lambda ps: optim.Adam(ps, lr=PEAK),
            epochs=EPOCHS_WC,
            seed=s,
            make_scheduler=lambda o: optim.WarmupCosineLR(o, warmup_steps=WARMUP, total_steps=EPOCHS_WC),
        )
        for s in LR_SEEDS
    ],
}
gap_wc = np.max(np.abs(np.array(h_yours.train_loss) - np.array(wc_runs["warm-up 2 + cosine"][0].train_loss)))
print(f"your MyAdam + warmup_cosine_lr, seed 0: final training loss {h_yours.train_loss[-1]:.2e}, ", end="")
print(f"largest difference from the reference run {gap_wc:.1e}", "(matches)" if gap_wc < 1e-6 else "(check both!)")
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.3))
plot.plot_curves({k: h[0].lr for k, h in wc_runs.items()}, title="Learning rate per epoch", ylabel="lr", ax=ax1)
plot.plot_curves(
    {**{k: h[0].train_loss for k, h in wc_runs.items()}, "yours (warm-up + cosine)": h_yours.train_loss},
    logy=True,
    ax=ax2,
    title="Adam at peak 0.05, seed 0",
    ylabel="training loss",
)
plt.show()
final_wc = {k: np.array([h.train_loss[-1] for h in hs]) for k, hs in wc_runs.items()}
val_wc = {k: np.array([h.val_loss[-1] for h in hs]) for k, hs in wc_runs.items()}
print("schedule           | final training loss, median (min-max) | final validation loss, median")
for k in wc_runs:
    print(f"{k:18s} | {np.median(final_wc[k]):13.2g} ({final_wc[k].min():.1g}-{final_wc[k].max():.1g})", end="")
    print(f"            | {np.median(val_wc[k]):.2f}")
constant_wc, cosine_wc = final_wc["constant 0.05"], final_wc["warm-up 2 + cosine"]
claim("constant 0.05 stalls: median final training loss", np.median(constant_wc), 0.05, np.inf, fmt=".2g")
claim("warm-up + cosine: largest final training loss over the seeds", cosine_wc.max(), 0.0, 0.005, fmt=".2g")
claim(
    "median final training loss, constant / warm-up + cosine",
    np.median(constant_wc) / np.median(cosine_wc),
    30,
    np.inf,
    fmt=".2g",
)
_ = claim(
    "median final validation loss, constant / warm-up + cosine",
    np.median(val_wc["constant 0.05"]) / np.median(val_wc["warm-up 2 + cosine"]),
    1.2,
    np.inf,
    fmt=".2g",
)

# %% [markdown]
# At a constant 0.05 Adam keeps bouncing: its median final training loss stays above 0.05. With the same peak,
# the warm-up and cosine bring every seed below 0.005, the median at least 30 times lower, and the validation loss
# at least 1.2 times lower too (the claims above). The schedule did not find a better learning rate: it used the
# large one while it helped and took it away as training settled. Your `MyAdam` driven by your `warmup_cosine_lr`
# follows the reference run of seed 0.
#
# ## 7b. Weight decay inside Adam: an L2 penalty or a decay?
#
# Notebook 06 added $\tfrac\lambda2 \|w\|^2$ to the loss; its gradient $\lambda w$ joins the data gradient, and
# plain SGD then moves each weight by $-\eta (g + \lambda w)$: besides the data's step, every weight shrinks by the
# same fraction $\eta\lambda$ per step. This is why an L2 penalty is also called **weight decay**: for SGD the two
# are one thing. For Adam they are not (Loshchilov and Hutter, *Decoupled weight decay regularization*, ICLR
# 2019). `torch.optim.Adam(weight_decay=λ)` adds $\lambda w$ to the gradient that Adam sees, so the penalty goes
# through the running means and the division by $\sqrt{\hat v}$ like the data's gradient.
# `torch.optim.AdamW(weight_decay=λ)` **decouples** the two: Adam's step uses the data's gradient alone, and,
# separately, every weight shrinks by the fraction $\eta\lambda$ of its value before the step, as with SGD.
#
# ### Exercise 6c (4 points): L2-in-Adam and AdamW
#
# Write one step of each, on top of your `adam_step` (call it, don't copy it):
#
# - `adam_l2_step`: one step of `torch.optim.Adam(lr, betas, eps, weight_decay)`;
# - `adamw_step`: one step of `torch.optim.AdamW(lr, betas, eps, weight_decay)`.
#
# Both return `(w_new, m_new, v_new)` with the raw running means, as `adam_step`, and modify none of their inputs.
# The tests compare trajectories and the states `exp_avg`, `exp_avg_sq` with torch, for several `weight_decay`
# (with 0 both must be Adam), betas and learning rates, and check one step from a zero gradient, where only the
# decay acts.


# %% solution id=adamw forbid=coursekit.optim.AdamW,coursekit.optim.Adam,torch.optim.AdamW,torch.optim.Adam
def adam_l2_step(w, m, v, grad, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0):
    """One step of Adam with an L2 penalty (weight_decay / 2) * ||w||^2 in the loss; torch.optim.Adam.

    Shapes as `adam_step`: w, m, v, grad arrays of one shape; returns (w_new, m_new, v_new). Inputs not modified.
    """
    ### BEGIN SOLUTION
    return adam_step(w, m, v, grad + weight_decay * w, t, lr=lr, beta1=beta1, beta2=beta2, eps=eps)
    ### END SOLUTION


def adamw_step(w, m, v, grad, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=1e-2):
    """One step of Adam with decoupled weight decay; torch.optim.AdamW.

    Shapes as `adam_step`: w, m, v, grad arrays of one shape; returns (w_new, m_new, v_new). Inputs not modified.
    """
    ### BEGIN SOLUTION
    w_adam, m_new, v_new = adam_step(w, m, v, grad, t, lr=lr, beta1=beta1, beta2=beta2, eps=eps)
    return w_adam - lr * weight_decay * w, m_new, v_new
    ### END SOLUTION


# %% tests id=test_adamw points=4
def adam_family_path(step_fn, w0, grad_fn, steps, **hyper):
    """Path (steps + 1, *w0.shape) and final (m, v) of step_fn fed grad_fn(w, t) for t = 0..steps-1."""
    w, m, v = w0.copy(), np.zeros_like(w0), np.zeros_like(w0)
    path = [w]
    for t in range(steps):
        w, m, v = step_fn(w, m, v, grad_fn(w, t), t + 1, **hyper)
        path.append(w)
    return np.array(path), m, v


rng_t = np.random.default_rng(6)
grads_t = rng_t.normal(size=(25, 3))
w0_t = np.array([0.5, -1.0, 2.0])
for fn, torch_cls in ((adam_l2_step, torch.optim.Adam), (adamw_step, torch.optim.AdamW)):
    ref_path, ref_state = torch_trajectory(
        lambda ps, c=torch_cls: c(ps, lr=0.05, weight_decay=0.3), w0_t, lambda w, t: grads_t[t], 25
    )
    ours_path, m_t, v_t = adam_family_path(fn, w0_t, lambda w, t: grads_t[t], 25, lr=0.05, weight_decay=0.3)
    label = f"{fn.__name__} vs torch.optim.{torch_cls.__name__}(lr=0.05, weight_decay=0.3)"
    assert_close(ours_path, ref_path, rtol=1e-10, atol=1e-12, name=f"{label}: 25-step path")
    assert_close(m_t, ref_state["exp_avg"], rtol=1e-10, atol=1e-14, name=f"{label}: final m vs exp_avg")
### BEGIN HIDDEN TESTS
A_t = np.array([[3.0, 0.5], [0.5, 1.0]])
w0_t = np.array([[1.0, -2.0], [0.5, 1.5]])
for fn, torch_cls in ((adam_l2_step, torch.optim.Adam), (adamw_step, torch.optim.AdamW)):
    for wd_t, lr_t in ((0.0, 0.1), (0.5, 0.02), (2.0, 0.1)):
        ref_path, ref_state = torch_trajectory(
            lambda ps, c=torch_cls, wd=wd_t, lr=lr_t: c(ps, lr=lr, betas=(0.8, 0.99), eps=1e-6, weight_decay=wd),
            w0_t,
            lambda w, t: A_t @ w,
            30,
        )
        ours_path, m_t, v_t = adam_family_path(
            fn, w0_t, lambda w, t: A_t @ w, 30, lr=lr_t, beta1=0.8, beta2=0.99, eps=1e-6, weight_decay=wd_t
        )
        label = f"{fn.__name__}, betas (0.8, 0.99), lr={lr_t}, weight_decay={wd_t}, on a quadratic"
        assert_close(ours_path, ref_path, rtol=1e-10, atol=1e-12, name=f"{label}: path")
        assert_close(m_t, ref_state["exp_avg"], rtol=1e-10, atol=1e-14, name=f"{label}: m vs exp_avg")
        assert_close(v_t, ref_state["exp_avg_sq"], rtol=1e-10, atol=1e-14, name=f"{label}: v vs exp_avg_sq")
w_in, zeros_t = np.array([2.0, -4.0, 0.5]), np.zeros(3)
w_dec, m_dec, v_dec = adamw_step(w_in, zeros_t, zeros_t, zeros_t, 1, lr=0.1, weight_decay=0.5)
assert_close(w_dec, w_in * (1 - 0.1 * 0.5), name="adamw_step from a zero gradient: only the decay acts")
assert_close(np.stack([m_dec, v_dec]), np.zeros((2, 3)), rtol=0, atol=0, name="adamw_step: m, v from a zero gradient")
w_l2, m_l2, _ = adam_l2_step(w_in, zeros_t, zeros_t, zeros_t, 1, lr=0.1, weight_decay=0.5)
assert_close(m_l2, 0.1 * 0.5 * w_in, name="adam_l2_step from a zero gradient: m holds the penalty's gradient")
for fn in (adam_l2_step, adamw_step):
    w_in, m_in, v_in = np.array([1.0, -1.0]), np.array([0.5, -0.5]), np.array([0.1, 0.2])
    keep = np.stack([w_in, m_in, v_in])
    g_in = np.array([2.0, -2.0])
    fn(w_in, m_in, v_in, g_in, 3, lr=0.5, weight_decay=0.1)
    assert_close(np.stack([w_in, m_in, v_in]), keep, rtol=0, atol=0, name=f"w, m, v after {fn.__name__} (unmodified)")
    assert_close(g_in, np.array([2.0, -2.0]), rtol=0, atol=0, name=f"grad after {fn.__name__} (unmodified)")
### END HIDDEN TESTS

# %% [markdown]
# ### Where the two differ: weights with large and small gradients
#
# The experiment isolates the difference. 200 weights start at 1; the "data" gradient of each is pure noise (no
# signal pulls it anywhere), with a scale that differs between four groups of 50: $0.01$, $0.1$, $1$ and $10$.
# Only the weight decay can shrink them. 1000 steps at $\eta = 0.01$ with $\lambda = 0.1$, 5 noise seeds, with your
# two functions and with the references (`coursekit.optim.Adam(weight_decay=λ)` and `coursekit.optim.AdamW`);
# the table shows the mean $|w|$ per group at the end (references, mean over the seeds).


# %% tags=heavy
GRAD_SCALES = np.array([0.01, 0.1, 1.0, 10.0])
DECAY_LR, DECAY_LAMBDA, DECAY_STEPS = 0.01, 0.1, 1000


def noise_gradients(seed):
    """(DECAY_STEPS, 200) pure-noise gradients, 50 weights per scale in GRAD_SCALES."""
    scales = np.repeat(GRAD_SCALES, 50)
    return scales * np.random.default_rng(seed).standard_normal((DECAY_STEPS, scales.size))


def final_weights_yours(step_fn, grads):
    """Weights (from ones) after feeding `grads` to your step function, one row per step."""
    w, m, v = np.ones(grads.shape[1]), np.zeros(grads.shape[1]), np.zeros(grads.shape[1])
    for t, g in enumerate(grads, start=1):
        w, m, v = step_fn(w, m, v, g, t, lr=DECAY_LR, weight_decay=DECAY_LAMBDA)
    return w


def final_weights_reference(make_optimizer, grads):
    """The same with a coursekit optimiser on one Parameter."""
    p = nn.Parameter(np.ones(grads.shape[1]))
    opt = make_optimizer([p])
    for g in grads:
        p.grad[...] = g
        opt.step()
    return p.data


def mean_abs_per_group(w):
    return np.abs(w).reshape(len(GRAD_SCALES), -1).mean(axis=1)


decay_methods = {
    "L2 in Adam": (adam_l2_step, lambda ps: optim.Adam(ps, lr=DECAY_LR, weight_decay=DECAY_LAMBDA)),
    "AdamW": (adamw_step, lambda ps: optim.AdamW(ps, lr=DECAY_LR, weight_decay=DECAY_LAMBDA)),
}
kept, gap_decay = {}, 0.0
for name, (yours, make_ref) in decay_methods.items():
    per_seed = []
    for seed in range(5):
        grads = noise_gradients(seed)
        w_ref = final_weights_reference(make_ref, grads)
        gap_decay = max(gap_decay, np.abs(final_weights_yours(yours, grads) - w_ref).max())
        per_seed.append(mean_abs_per_group(w_ref))
    kept[name] = np.array(per_seed)  # (seeds, groups)
print(
    f"your adam_l2_step and adamw_step vs the references: {'match' if gap_decay < 1e-8 else f'differ by {gap_decay:.1e}'}"
)
print("gradient scale     |" + "".join(f"{s:>9g}" for s in GRAD_SCALES))
for name, k in kept.items():
    print(f"{name:18s} |" + "".join(f"{x:9.3f}" for x in k.mean(axis=0)))
print(f"(1 - lr * lambda)^{DECAY_STEPS} = {(1 - DECAY_LR * DECAY_LAMBDA) ** DECAY_STEPS:.3f}")
fig, ax = plt.subplots(figsize=(5, 3.3))
for name, k in kept.items():
    ax.plot(GRAD_SCALES, k.mean(axis=0), "o-", label=name)
ax.set(xscale="log", xlabel="scale of the weight's gradient noise", ylabel="mean |w| after 1000 steps (from 1)")
ax.set(title="Weight decay, lambda = 0.1: who gets decayed?")
ax.legend()
plt.show()
claim("AdamW: smallest group mean |w| (every group decays alike)", kept["AdamW"].min(), 0.3, 0.45, fmt=".3f")
claim("AdamW: largest group mean |w|", kept["AdamW"].max(), 0.3, 0.45, fmt=".3f")
claim(
    "L2 in Adam: weights with the largest gradients keep (smallest over seeds)",
    kept["L2 in Adam"][:, -1].min(),
    0.8,
    1.0,
    fmt=".3f",
)
claim(
    "L2 in Adam: weights with the smallest gradients keep (largest over seeds)",
    kept["L2 in Adam"][:, 0].max(),
    0.0,
    0.05,
    fmt=".3f",
)
_ = claim(
    "L2 in Adam: ratio of mean |w|, largest / smallest gradient group (smallest over seeds)",
    (kept["L2 in Adam"][:, -1] / kept["L2 in Adam"][:, 0]).min(),
    20,
    np.inf,
    fmt=".3g",
)

# %% [markdown]
# AdamW does what weight decay promises: every group keeps between 0.3 and 0.45 of its size, close to
# $(1 - \eta\lambda)^{1000} \approx 0.37$, whatever its gradients. L2-in-Adam does not: the penalty's gradient is
# divided by $\sqrt{\hat v}$ with everything else. Where the data's gradients are large (scale 10) the decay is
# divided by about 10 and those weights keep more than 80 % of their size; where they are small the penalty *is*
# the gradient, Adam normalises it to a step of about $\eta$, and the weights are wiped out (below 0.05): a ratio of
# more than 20 between the groups for one and the same $\lambda$ (the claims above). The weights the data pushes
# hardest, the ones most likely to overfit, are the ones an L2 penalty inside Adam leaves alone. With AdamW the
# decay is also tied to the learning rate ($\eta\lambda$ per step), so a schedule lowers both together.

# %% [markdown]
# ## 8. Babysitting the learning process
#
# Before any long run, the lecture's three sanity checks:
#
# 1. **Turn regularisation off and look at the initial loss.** With small random weights every class gets
#    about the same score, the softmax is uniform, and the loss is $-\ln(1/C) = \ln C$: $\ln 10 \approx 2.3$ for
#    ten classes (the lecture calls "about 2.5" fine). A very different number points to a bug or a bad init.
# 2. **Turn regularisation on: the loss must go up** (the lecture's example: from about 2.5 to 3.2), because the
#    penalty $\tfrac{\lambda}{2}\sum W^2$ is added to it.
# 3. **Overfit a tiny subset** (e.g. 20 training examples) without regularisation: the training loss must go to
#    about zero and the training accuracy to 100 %. A model that cannot memorise 20 examples has a bug.
#
# The cell runs all three on our MLP. For check 1 the last layer is initialised with $\mathcal N(0, 0.01^2)$
# (`init="normal"`), which makes the initial scores small; with He initialisation of the last layer the scores
# have a spread of order 1 and the loss starts higher.

# %%
loss_fn = nn.CrossEntropyLoss()
mlp_small = make_mlp(seed=0, last_init="normal")
mlp_he = make_mlp(seed=0, last_init="he")
initial_loss = loss_fn.forward(mlp_small(X_train), y_train)
initial_loss_he = loss_fn.forward(mlp_he(X_train), y_train)
print(f"1. initial loss, small last layer: {initial_loss:.4f}   (ln 10 = {np.log(10):.4f})")
print(f"   initial loss, He last layer:    {initial_loss_he:.4f}")
sum_w2 = sum(float(np.sum(p.data**2)) for p in mlp_small.parameters() if p.data.ndim == 2)
for lam in (1e-3, 1e-2, 3e-2):
    print(f"2. with L2 penalty lambda = {lam:g}: loss {initial_loss + 0.5 * lam * sum_w2:.4f}")
tiny = make_mlp(seed=0)
h_tiny = fit(
    tiny,
    loss_fn,
    optim.Adam(tiny.parameters(), lr=0.01),
    (X_train[:20], y_train[:20]),
    epochs=100,
    batch_size=20,
    progress=False,
    seed=0,
)
print(
    f"3. 20 examples, 100 Adam steps: training loss {h_tiny.train_loss[0]:.4f} -> {h_tiny.train_loss[-1]:.4f}, "
    f"training accuracy {accuracy(tiny(X_train[:20]), y_train[:20]):.4f}, "
    f"validation accuracy {accuracy(tiny(X_val), y_val):.4f}"
)
claim(
    "1. initial loss within 0.02 of ln 10",
    abs(initial_loss - np.log(10)),
    0.0,
    0.02,
    fmt=".3f",
    lecture="about 2.5 is fine",
)
claim(
    "2. with an L2 penalty of 0.01 the initial loss rises to",
    initial_loss + 0.5 * 1e-2 * sum_w2,
    2.5,
    3.5,
    fmt=".3g",
    lecture="2.5 -> 3.2",
)
claim("3. 20 examples memorised: final training loss", h_tiny.train_loss[-1], 0.0, 0.01, fmt=".2g")
claim("3. ... training accuracy", accuracy(tiny(X_train[:20]), y_train[:20]), 1.0, 1.0, fmt=".4f")
_ = claim(
    "3. ... validation accuracy, far below a proper run's 0.95", accuracy(tiny(X_val), y_val), 0.0, 0.8, fmt=".2f"
)

# %% [markdown]
# All three pass: the initial loss is within 0.02 of $\ln 10$, a penalty of $\lambda = 0.01$ raises it to between
# 2.5 and 3.5 (the lecture's example: 2.5 to 3.2), and the 20 examples are memorised (training loss below 0.01,
# accuracy 1). The memorised model is useless on new data (validation accuracy below 0.8, far below the 95 % of a
# proper run), which is the point: the check is about the code, not about generalisation.
#
# Then, during training, **watch the curves**: the loss (the lecture's image: it is the music of the training
# run, you learn to hear when something is off) and the training vs validation accuracy. A big gap means
# overfitting (more regularisation, more data); no gap at all may mean the model is too small (more capacity).
# `coursekit.plot.plot_history` draws both, here for the Adam run of section 6.

# %% tags=heavy
fig = plot.plot_history(histories["Adam"], title="Adam run of section 6: train (solid) vs validation (dashed)")
plt.show()
h_adam = histories["Adam"]
print(
    f"final train accuracy {h_adam.train_acc[-1]:.4f}, validation accuracy {h_adam.val_acc[-1]:.4f}, "
    f"gap {h_adam.train_acc[-1] - h_adam.val_acc[-1]:.4f}"
)

# %% [markdown]
# ## 9. Hyper-parameter search: random, not grid
#
# What can be tuned: the architecture (the lecture's advice: start with one hidden layer of about 50 units and
# grow the capacity gradually), the learning rate and its decay schedule, the optimiser (SGD, SGD with
# momentum, Adam, ...) and the regularisation (L2 strength, dropout). The search itself:
#
# - judge every setting on the **validation** set, never the test set;
# - go **coarse to fine**: a few epochs per trial over a wide range first, then longer runs in the best region;
# - search scale parameters (learning rate, L2 strength) on a **log scale**: $10^{-4}$ and $10^{-3}$ are as
#   different as $10^{-2}$ and $10^{-1}$. Sample the exponent uniformly, $\eta = 10^{u}$, $u \sim U(-4, 0)$;
# - sample the settings **at random** rather than on a grid (Bergstra and Bengio 2012).
#
# Why random? Usually only a few hyper-parameters matter much, and we do not know which beforehand. A $3 \times 3$
# grid spends 9 trials on only **3 distinct values** of each parameter: if one parameter barely matters, 6 of the
# 9 trials are wasted repeats of the same 3 values of the one that does. Nine random points give **9 distinct
# values** of every parameter. The figure draws Bergstra and Bengio's picture: a function of an important
# parameter (horizontal) and an unimportant one (vertical), with the marginal of the important one on top.


# %%
def important(x):
    """A made-up validation score as a function of the important parameter (higher is better)."""
    return np.exp(-((x - 0.62) ** 2) / 0.008) + 0.3 * np.exp(-((x - 0.2) ** 2) / 0.02)


rng = np.random.default_rng(0)
grid_pts = np.array([(a, b) for a in (1 / 6, 1 / 2, 5 / 6) for b in (1 / 6, 1 / 2, 5 / 6)])
random_pts = rng.uniform(0, 1, size=(9, 2))
xs = np.linspace(0, 1, 300)
fig, axes = plt.subplots(2, 2, figsize=(8, 4.6), height_ratios=[1, 2.2], sharex=True)
for col, (name, pts) in enumerate((("Grid layout", grid_pts), ("Random layout", random_pts))):
    top, main = axes[0, col], axes[1, col]
    top.plot(xs, important(xs), "k")
    top.plot(pts[:, 0], important(pts[:, 0]), "o", color="C1")
    top.set(title=f"{name}: {len(np.unique(np.round(pts[:, 0], 6)))} distinct values tried", ylabel="score")
    main.plot(pts[:, 0], pts[:, 1], "o", color="C1", label="trials")
    main.set(xlabel="important parameter", ylabel="unimportant parameter", xlim=(0, 1), ylim=(0, 1))
    for x_val in pts[:, 0]:
        top.axvline(x_val, color="C1", alpha=0.3, lw=0.8)
plt.show()
print(
    f"best score found: grid {important(grid_pts[:, 0]).max():.4f}, random {important(random_pts[:, 0]).max():.4f}, "
    f"true best {important(xs).max():.4f}"
)
best_random = important(rng.uniform(0, 1, size=(10_000, 9))).max(axis=1)  # 10 000 more draws of 9 random points
print(f"over 10 000 draws of 9 random points: mean best score {best_random.mean():.3f}")
_ = claim(
    "random layout beats the grid (fraction of 10 000 draws)",
    np.mean(best_random > important(grid_pts[:, 0]).max()),
    0.85,
    0.98,
    fmt=".3f",
)

# %% [markdown]
# What the picture shows is *coverage*: 9 probes of the important parameter instead of 3. The grid's three
# values miss the narrow peak (its best is on the side bump), while one of 9 random values usually lands on it.
# A single draw proves nothing, so the cell repeats the random layout 10 000 times: it beats the grid in 85 to
# 98 % of the draws (the claim; in the rest, no random point falls within about 0.1 of the peak). The claims
# section compares both on a whole family of problems.

# %% [markdown]
# ### Exercise 7 (1 point): log-uniform sampling
#
# Draw `size` numbers whose base-10 logarithm is uniform on $[\log_{10} \text{low}, \log_{10} \text{high}]$, from
# the generator `rng` you are given (never `np.random.*` directly: the search must be reproducible from its
# seed).


# %% solution id=log_uniform forbid=scipy.stats.loguniform,scipy.stats.reciprocal
def log_uniform(rng, low, high, size=None):
    """Log-uniform samples in [low, high].

    Parameters
    ----------
    rng : numpy.random.Generator;  low, high : floats, 0 < low < high
    size : int, tuple or None (None: a single float, as ``rng.uniform``)

    Returns
    -------
    float or array of shape ``size``: ``10 ** u`` with ``u ~ Uniform(log10(low), log10(high))``
    """
    ### BEGIN SOLUTION
    return 10.0 ** rng.uniform(np.log10(low), np.log10(high), size=size)
    ### END SOLUTION


# %% tests id=test_log_uniform points=1
samples = log_uniform(np.random.default_rng(0), 1e-5, 1e-1, size=4000)
assert_shape(samples, (4000,), name="log_uniform(..., size=4000)")
assert_between(samples.min(), 1e-5, 1e-1, name="log_uniform(rng, 1e-5, 1e-1): smallest sample")
assert_between(samples.max(), 1e-5, 1e-1, name="log_uniform(rng, 1e-5, 1e-1): largest sample")
per_decade = np.histogram(np.log10(samples), bins=[-5, -4, -3, -2, -1])[0] / 4000
assert_close(
    per_decade,
    np.full(4, 0.25),
    atol=0.03,
    rtol=0,
    name="log_uniform(1e-5, 1e-1): fraction of samples in each decade (should be 1/4 each)",
)
### BEGIN HIDDEN TESTS
again = log_uniform(np.random.default_rng(0), 1e-5, 1e-1, size=4000)
assert_close(
    again, samples, rtol=0, atol=0, own=True, name="log_uniform with the same seed (must use the rng argument)"
)
other = log_uniform(np.random.default_rng(1), 1e-5, 1e-1, size=4000)
assert_between(np.abs(other - samples).max(), 1e-12, np.inf, name="log_uniform: difference of two seeds' samples")
grid_s = log_uniform(np.random.default_rng(2), 0.5, 2.0, size=(50, 40))
assert_shape(grid_s, (50, 40), name="log_uniform(..., size=(50, 40))")
assert_between(grid_s.min(), 0.5, 2.0, name="log_uniform(0.5, 2.0): smallest sample")
assert_between(grid_s.max(), 0.5, 2.0, name="log_uniform(0.5, 2.0): largest sample")
assert_close(
    np.mean(grid_s < 1.0),
    0.5,
    atol=0.03,
    rtol=0,
    name="log_uniform(0.5, 2): fraction below the geometric mean 1 (should be 1/2)",
)
one = log_uniform(np.random.default_rng(3), 1e-3, 1e-2)
assert np.ndim(one) == 0 and 1e-3 <= float(one) <= 1e-2, "log_uniform(rng, 1e-3, 1e-2) without size: one number"
### END HIDDEN TESTS

# %% [markdown]
# ### Exercise 8 (1 point): random search
#
# Write the search loop. `space` maps each hyper-parameter's name to `(low, high, scale)` with scale `"log"`
# (sample with your `log_uniform`) or `"linear"` (sample with `rng.uniform(low, high)`). For each of `n_trials`
# trials, draw one value of every parameter (a fresh `dict`), call `evaluate(config)` once, and keep the best.
# **Lower is better**: `evaluate` returns a validation loss.


# %% solution id=random_search forbid=sklearn.model_selection.ParameterSampler,sklearn.model_selection.RandomizedSearchCV
def random_search(evaluate, space, n_trials, rng):
    """Random hyper-parameter search.

    Parameters
    ----------
    evaluate : callable, ``evaluate(config: dict) -> float`` (lower is better)
    space : dict name -> (low, high, scale), scale in {"log", "linear"}
    n_trials : int, the number of configurations to evaluate (each exactly once)
    rng : numpy.random.Generator, the only source of randomness

    Returns
    -------
    (best_config, best_score) : the dict with the lowest score and that score
    """
    ### BEGIN SOLUTION
    best_config, best_score = None, np.inf
    for _ in range(n_trials):
        config = {}
        for name, (low, high, scale) in space.items():
            config[name] = float(log_uniform(rng, low, high) if scale == "log" else rng.uniform(low, high))
        score = evaluate(config)
        if score < best_score:
            best_config, best_score = config, score
    return best_config, best_score
    ### END SOLUTION


# %% tests id=test_random_search points=1
space_t = {"lr": (1e-4, 1.0, "log"), "momentum": (0.5, 0.99, "linear")}
calls = []


def toy_val_loss(config):
    """A made-up validation loss, lowest at lr = 1e-2, momentum = 0.9."""
    score = (np.log10(config["lr"]) + 2.0) ** 2 + (config["momentum"] - 0.9) ** 2
    calls.append((dict(config), score))
    return score


best_cfg, best_val = random_search(toy_val_loss, space_t, 30, np.random.default_rng(0))
assert_equal(len(calls), 30, name="random_search: calls of evaluate (n_trials = 30)")
assert set(best_cfg) == {"lr", "momentum"}, f"random_search: best config has keys {sorted(best_cfg)}"
assert_close(best_val, min(s for _, s in calls), own=True, name="random_search: best score (the LOWEST score seen)")
assert_close(toy_val_loss(best_cfg), best_val, own=True, name="random_search: score of the returned config")
### BEGIN HIDDEN TESTS
calls.clear()
best_cfg, best_val = random_search(toy_val_loss, space_t, 30, np.random.default_rng(0))
cfgs = [c for c, _ in calls]
assert all(1e-4 <= c["lr"] <= 1.0 and 0.5 <= c["momentum"] <= 0.99 for c in cfgs), "random_search: value out of range"
assert_equal(
    len({c["lr"] for c in cfgs}), 30, name="random_search: distinct lr values in 30 trials (a fresh sample each)"
)
best_i = int(np.argmin([s for _, s in calls]))
assert_close(
    np.array([best_cfg["lr"], best_cfg["momentum"]]),
    np.array([cfgs[best_i]["lr"], cfgs[best_i]["momentum"]]),
    own=True,
    name="random_search: the returned config must be the one with the lowest score",
)
calls.clear()
again_cfg, _ = random_search(toy_val_loss, space_t, 30, np.random.default_rng(0))
assert_close(
    np.array([again_cfg["lr"], again_cfg["momentum"]]),
    np.array([best_cfg["lr"], best_cfg["momentum"]]),
    rtol=0,
    atol=0,
    own=True,
    name="random_search with the same seed (must draw only from rng)",
)
# the distributions: log for "log", linear for "linear"
calls.clear()
random_search(
    toy_val_loss, {"lr": (1e-6, 1.0, "log"), "momentum": (0.01, 0.9, "linear")}, 3000, np.random.default_rng(1)
)
lrs = np.array([c["lr"] for c, _ in calls])
ps = np.array([c["momentum"] for c, _ in calls])
assert_close(np.mean(lrs < 1e-3), 0.5, atol=0.04, rtol=0, name="random_search: fraction of log-scale lr below 1e-3")
assert_close(
    np.mean(ps), 0.455, atol=0.02, rtol=0, name="random_search: mean of a linear-scale parameter on [0.01, 0.9]"
)
### END HIDDEN TESTS

# %% [markdown]
# Random search in action on the MLP: 8 trials of 3 epochs each over the learning rate (log scale, $10^{-4}$ to
# 1) and the momentum (linear, 0.5 to 0.99), scored by the validation loss. (3 epochs is the *coarse* stage of a
# coarse-to-fine search.) Some of the trials land in the chaotic region of large rates and high momentum: their
# losses are large and their exact values differ from machine to machine. What holds (the claim): the best of the
# 8 trials reaches less than half the validation loss of plain SGD at 0.01 after the same 3 epochs (section 2,
# $B = 32$), and below 0.3.


# %% tags=heavy,nbval-ignore-output
def mlp_val_loss(config):
    """Validation loss of the MLP after 3 epochs of SGD with momentum at the given config."""
    model = make_mlp(seed=0)
    opt = optim.SGD(model.parameters(), lr=config["lr"], momentum=config["momentum"])
    h = fit(
        model,
        nn.CrossEntropyLoss(),
        opt,
        (X_train, y_train),
        (X_val, y_val),
        epochs=3,
        batch_size=32,
        progress=False,
        seed=0,
    )
    loss = h.val_loss[-1]
    print(f"  lr {config['lr']:.2e}, momentum {config['momentum']:.3f}: validation loss {loss:.4f}")
    return loss if np.isfinite(loss) else np.inf


best_mlp_cfg, best_mlp_loss = random_search(
    mlp_val_loss, {"lr": (1e-4, 1.0, "log"), "momentum": (0.5, 0.99, "linear")}, 8, np.random.default_rng(0)
)
print(
    f"best: lr {best_mlp_cfg['lr']:.2e}, momentum {best_mlp_cfg['momentum']:.3f}, validation loss {best_mlp_loss:.4f}"
)
claim("best of 8 random trials: validation loss after 3 epochs", best_mlp_loss, 0.0, 0.3, fmt=".3g")
_ = claim("... relative to plain SGD at lr 0.01 (B = 32, section 2)", best_mlp_loss / final_val[1], 0.0, 0.5, fmt=".2f")

# %% [markdown]
# ### Exercise 9 (2 points): six sigmoid layers in 200 steps, with your own optimisers
#
# Notebook 03 showed why deep sigmoid networks were hard to train before 2010: the backward pass multiplies the
# gradient by $\sigma'(z) \le \tfrac14$ at every layer, so the first layers learn orders of magnitude more slowly
# than the last. The cell below builds such a network, `make_deep_sigmoid(seed)` (64 inputs, six `Sigmoid` layers
# of 32 units, 10 scores; `coursekit.nn`), and `full_batch_loss_and_grad(model)`, which sets every parameter's
# `.grad` to the gradient of the mean cross-entropy on the **whole** training set (zeroing it first) and returns
# that loss; it prints the gradient norm of each layer's weights at initialisation.
#
# Write `train_deep_sigmoid(model, loss_and_grad, steps=200)` that trains `model` **in place** (its own parameter
# arrays, updated through `p.data`) so that its full-batch training loss is **below 0.02** when your function
# returns. The rules:
#
# - at most `steps` calls of `loss_and_grad(model)`, your only source of gradients: no other `backward` call on
#   `model` or on any of its layers (the test counts both);
# - the updates are yours: your step functions, your `MyAdam`, your schedules of this notebook (not
#   `coursekit.optim`, not `torch`); which optimiser, which learning rate and whether a schedule helps is for you
#   to find out. Your `random_search` can help, outside this function (on fresh models from
#   `make_deep_sigmoid`), since the budget counts the calls of one training;
# - no randomness is needed (the batch is the whole training set).
#
# The test trains `make_deep_sigmoid(0)` and needs a final loss below 0.02; a hidden test trains
# `make_deep_sigmoid(1)` and needs below 0.04 (the margin absorbs another machine's rounding, not a lucky seed).
# Both check that every parameter is finite and that the budget was kept.


# %%
def make_deep_sigmoid(seed=0, depth=6, width=32):
    """Linear(64, 32) - Sigmoid - ... (depth times) - Linear(32, 10), coursekit.nn, seeded."""
    rng = np.random.default_rng(seed)
    layers, fan_in = [], 64
    for _ in range(depth):
        layers += [nn.Linear(fan_in, width, rng=rng), nn.Sigmoid()]
        fan_in = width
    return nn.Sequential(*layers, nn.Linear(fan_in, 10, rng=rng))


def full_batch_loss_and_grad(model):
    """Mean cross-entropy of `model` on the whole training set; fills every parameter's .grad (zeroed first)."""
    loss_fn = nn.CrossEntropyLoss()
    for p in model.parameters():
        p.grad[...] = 0.0
    loss = loss_fn.forward(model(X_train), y_train)
    model.backward(loss_fn.backward())
    return float(loss)


deep_t = make_deep_sigmoid(0)
print(f"initial full-batch loss {full_batch_loss_and_grad(deep_t):.4f} (ln 10 = {np.log(10):.4f})")
deep_norms = [np.linalg.norm(m.weight.grad) for m in deep_t if isinstance(m, nn.Linear)]
print("gradient norm of each layer's weights, input to output:", " ".join(f"{g:.1e}" for g in deep_norms))
claim("first layer's gradient norm / last layer's, at initialisation", deep_norms[0] / deep_norms[-1], 1e-4, 1e-2)


# %% solution id=train_deep_sigmoid forbid=coursekit.optim.SGD,coursekit.optim.Adam,coursekit.optim.AdamW,coursekit.optim.RMSprop,coursekit.optim.AdaGrad,torch.optim
def train_deep_sigmoid(model, loss_and_grad, steps=200):
    """Train `model` in place with at most `steps` calls of loss_and_grad(model) (the only gradients)."""
    ### BEGIN SOLUTION
    # Plain SGD and momentum hardly move the first layers (their gradients are ~1e-3 of the last layer's);
    # Adam divides each parameter's step by the root mean square of its own gradient, so every layer moves at
    # the same pace whatever the size of its gradient. lr 0.02 found by a search on seed 0; 1e-3 is far too slow.
    opt = MyAdam(model.parameters(), lr=0.02)
    for _ in range(steps):
        loss_and_grad(model)
        opt.step()
    ### END SOLUTION


# %% tests id=test_train_deep_sigmoid points=2 tags=nbval-ignore-output
# The printed loss depends on the CPU's floating-point kernels (nbval ignores it); the test is the range check.
def budgeted_training(seed, steps=200):
    """make_deep_sigmoid(seed) trained by train_deep_sigmoid; (final loss, calls of loss_and_grad, other backwards)."""
    model, calls, inside = make_deep_sigmoid(seed), {"loss_and_grad": 0, "backward": 0}, [False]

    def counted(backward):
        def wrapper(dout):
            calls["backward"] += not inside[0]  # a backward pass outside loss_and_grad: beyond the budget
            return backward(dout)

        return wrapper

    for part in (model, *model):  # the network and each of its layers
        part.backward = counted(part.backward)

    def counted_loss_and_grad(m):
        calls["loss_and_grad"] += 1
        inside[0] = True
        try:
            return full_batch_loss_and_grad(m)
        finally:
            inside[0] = False

    train_deep_sigmoid(model, counted_loss_and_grad, steps)
    for i, p in enumerate(model.parameters()):
        assert np.all(np.isfinite(p.data)), f"train_deep_sigmoid: parameter {i} has inf or nan entries"
    final = nn.CrossEntropyLoss().forward(model(X_train), y_train)
    return float(final), calls


deep_loss, deep_calls = budgeted_training(0)
print(f"final full-batch loss {deep_loss:.4f} after {deep_calls['loss_and_grad']} calls of loss_and_grad")
assert_between(deep_calls["loss_and_grad"], 0, 200, name="train_deep_sigmoid: calls of loss_and_grad (the budget)")
assert_equal(deep_calls["backward"], 0, name="train_deep_sigmoid: backward calls outside loss_and_grad")
assert_between(deep_loss, 0.0, 0.02, name="train_deep_sigmoid(make_deep_sigmoid(0)): final full-batch loss")
### BEGIN HIDDEN TESTS
deep_loss_h, deep_calls_h = budgeted_training(1)
assert_between(deep_calls_h["loss_and_grad"], 0, 200, name="train_deep_sigmoid, seed 1: calls of loss_and_grad")
assert_equal(deep_calls_h["backward"], 0, name="train_deep_sigmoid, seed 1: backward calls outside loss_and_grad")
assert_between(deep_loss_h, 0.0, 0.04, name="train_deep_sigmoid(make_deep_sigmoid(1)): final full-batch loss")
### END HIDDEN TESTS

# %% [markdown]
# What the budget does to the optimisers of this notebook, on the same network (seed 0, 200 full-batch steps,
# your step functions): plain gradient descent and momentum at the learning rates that suit the shallow MLP,
# against your answer.

# %% tags=heavy,nbval-ignore-output
# Training runs whose last digits depend on the CPU's kernels; the claims check the ranges the text quotes.
def deep_run(update, steps=200):
    """Final full-batch loss of make_deep_sigmoid(0) after `steps` updates w <- update(k, w, grad)."""
    model = make_deep_sigmoid(0)
    params = list(model.parameters())
    states = [np.zeros_like(p.data) for p in params]
    for _ in range(steps):
        full_batch_loss_and_grad(model)
        for k, p in enumerate(params):
            p.data, states[k] = update(p.data, states[k], p.grad)
    return nn.CrossEntropyLoss().forward(model(X_train), y_train)


deep_losses = {
    "gradient descent, lr 0.1": deep_run(lambda w, s, g: (sgd_step(w, g, 0.1), s)),
    "gradient descent, lr 1.0": deep_run(lambda w, s, g: (sgd_step(w, g, 1.0), s)),
    "momentum 0.9, lr 0.1": deep_run(lambda w, s, g: momentum_step(w, s, g, 0.1, 0.9)),
    "your train_deep_sigmoid": deep_loss,
}
for name, value in deep_losses.items():
    print(f"{name:26s} final loss {value:.4f}")
claim("gradient descent at lr 0.1 and 1.0: worst final loss", max(list(deep_losses.values())[:2]), 2.2, 2.31)
_ = claim("momentum 0.9 at lr 0.1: final loss", deep_losses["momentum 0.9, lr 0.1"], 2.2, 2.31)

# %% [markdown]
# Gradient descent and momentum leave the loss at about $\ln 10 \approx 2.30$, the loss of a uniform guess
# (the claims: above 2.2), even at a learning rate ten times larger: one learning rate for all layers cannot suit
# both the last layer and the first, whose gradient is between $10^{-4}$ and $10^{-2}$ of the last layer's (the
# claim under the set-up cell). An optimiser that divides each parameter's step by the size of its own recent
# gradients, as Adam does, takes steps of a similar size in every layer whatever that ratio; how large, and for how
# long, is what your answer had to find. Batch normalisation (notebook 05), ReLU (03) and a good initialisation
# (04) attack the same problem at its root.


# %% [markdown]
# ### Free response
#
# **Question 1 (1 point).** You have a budget of 16 training runs to tune two hyper-parameters, the learning
# rate and the dropout probability. Your colleague proposes a $4 \times 4$ grid. Explain why 16 random
# configurations are usually better (Bergstra and Bengio 2012), and say when a grid would be just as good.
# Include how you would sample the learning rate.

# %% [markdown] manual id=q_random_vs_grid points=1
# *Model answer.* Usually only one or two hyper-parameters matter much for a given problem, and we do not know
# in advance which. A $4 \times 4$ grid tries only 4 distinct values of each parameter: if the dropout
# probability hardly matters, the 16 runs amount to 4 experiments on the learning rate, each repeated 4 times.
# 16 random points try 16 distinct values of *every* parameter, so the important one is explored four times more
# finely, for the same cost; the chance that the best region falls between grid lines is much smaller. Random
# search also degrades gracefully (stop early or add more runs at any time; a crashed run leaves no hole in the
# grid) and scales to more dimensions, where grids blow up exponentially. A grid is as good only when every
# parameter matters about equally (an effectively low-dimensional, well-understood space) or when the optimum
# happens to lie on grid points. The learning rate should be sampled log-uniformly, e.g. $\eta = 10^{u}$ with
# $u \sim U(-4, 0)$, because its effect is multiplicative; then refine coarse-to-fine on the validation set.

# %% [markdown]
# **Question 2 (2 points).** The training loss of your network (a) explodes to `inf` after a few hundred steps;
# (b) drops quickly in the first epoch and then stays flat at a high value, with a lot of noise from batch to
# batch; (c) goes down steadily but very slowly, almost as a straight line. For each case, say what the learning
# rate is likely doing and what you would change (learning rate, schedule, batch size, optimiser).

# %% [markdown] manual id=q_loss_curves points=2
# *Model answer.* (a) The learning rate is too high: steps overshoot along the steep directions and the loss
# diverges. Lower it (by a factor of about 3–10), possibly clip gradients; also check the initial loss
# ($\approx \ln C$) to rule out a bug. (b) The rate is high: good early progress, then the weights bounce around
# the bottom of the valley. Decay the learning rate (step, exponential or $1/t$ schedule), or lower it; a
# larger batch reduces the gradient noise; momentum/Adam help if the valley is a ravine. (c) The rate is too
# low: every step is tiny. Increase it (search on a log scale), add momentum (which multiplies the effective
# step along consistent directions by about $1/(1-\mu)$), or use an adaptive method such as Adam.

# %% [markdown]
# ## 10. Experiments: the lecture's claims beside our measurements
#
# | claim (lecture) | lecture's figure | ours |
# |---|---|---|
# | initial softmax loss without regularisation, 10 classes | $\ln 10 \approx 2.3$ ("≈ 2.5 is fine") | printed below |
# | adding regularisation raises the loss | e.g. 2.5 → 3.2 | printed in section 8 |
# | momentum overshoots but reaches the minimum sooner than SGD | qualitative (figure) | steps to reach $\|w\| < 10^{-3}$ on the ravine, printed below |
# | $\mu \approx 0.9$ ("0.9, 0.95 or 0.99") | typical values | the best $(\eta, \mu)$ for the ravine from your Exercise 3b, printed below |
# | random search finds better settings than a grid at equal budget | Bergstra & Bengio 2012 (figure) | mean regret over 200 seeds, printed below |

# %% tags=heavy
print(f"initial loss (10 classes, small last layer): ours {initial_loss:.4f}   lecture ln 10 = {np.log(10):.4f}")
print(f"  (He-initialised last layer: {initial_loss_he:.4f})")
print()
claim(
    "He-initialised last layer starts higher than ln 10 (initial loss)", initial_loss_he, np.log(10), np.inf, fmt=".3g"
)
print("ravine C = (w1^2 + 50 w2^2)/2 from (-10, 1): steps until ||w|| < 1e-3")


def ravine_run(lr, mu):
    """Steps until ||w|| < 1e-3 on the ravine, and the largest w1 reached, for SGD with momentum mu."""
    path = run_optimizer(lambda ps: optim.SGD(ps, lr=lr, momentum=mu), bowl_grad, W0_BOWL, 3000)
    return int(np.argmax(np.linalg.norm(path, axis=1) < 1e-3)), path[:, 0].max()


ravine = {(lr, mu): ravine_run(lr, mu) for lr in (0.01, 0.02, 0.036) for mu in (0.0, 0.9)}
speedup, overshoot = {}, {}
for lr in (0.01, 0.02, 0.036):
    (sgd, _), (mom, over) = ravine[lr, 0.0], ravine[lr, 0.9]
    speedup[lr], overshoot[lr] = sgd / mom, over
    print(
        f"  lr {lr:5.3f}: SGD {sgd:4d} steps | momentum 0.9 {mom:4d} steps "
        f"(overshoot: w1 reaches {over:+.3f}, minimum at 0)  -> {speedup[lr]:.1f}x fewer"
    )
claim("momentum's advantage at lr 0.01 (SGD steps / momentum steps)", speedup[0.01], 6.0, 8.0, fmt=".2g")
claim("momentum's advantage at lr 0.02", speedup[0.02], 3.0, 4.0, fmt=".2g")
claim("momentum's advantage at lr 0.036 (close to SGD's limit 0.04)", speedup[0.036], 1.5, 2.2, fmt=".2g")
claim(
    "momentum overshoots past the minimum at every lr (smallest largest w1)",
    min(overshoot.values()),
    1.0,
    np.inf,
    fmt=".3g",
)
lr_star, mu_star = best_heavy_ball(1.0, 50.0)  # yours, Exercise 3b
tuned = {
    "SGD at its best lr, 2/(m + L)": (2 / 51, 0.0),
    "momentum 0.9 at lr 0.02": (0.02, 0.9),
    f"your best_heavy_ball(1, 50): lr {lr_star:.4f}, mu {mu_star:.4f}": (lr_star, mu_star),
}
tuned_steps = {}
for name, (lr, mu) in tuned.items():
    tuned_steps[name] = (ravine[lr, mu] if (lr, mu) in ravine else ravine_run(lr, mu))[0]
    rate = max(heavy_ball_rate(lr, mu, 1.0), heavy_ball_rate(lr, mu, 50.0))
    print(f"  {name:52s} {tuned_steps[name]:4d} steps   worst factor per step {rate:.4f}")
sgd_steps, habit_steps, star_steps = tuned_steps.values()
claim("your best momentum for the ravine (m = 1, L = 50)", mu_star, 0.56, 0.58, fmt=".3f")
claim("your best learning rate for the ravine, beyond plain descent's limit 0.04", lr_star, 0.06, 0.062, fmt=".4f")
claim("your tuned heavy ball: steps until ||w|| < 1e-3", star_steps, 35, 50, fmt=".0f")
claim("momentum 0.9 at lr 0.02, steps / your tuned heavy ball's", habit_steps / star_steps, 2.5, 3.5, fmt=".2g")
_ = claim("SGD at its best lr, steps / your tuned heavy ball's", sgd_steps / star_steps, 4.5, 6.5, fmt=".2g")

# %% [markdown]
# Momentum reaches the minimum sooner at every learning rate (6-8 times fewer steps at $\eta = 0.01$, 3-4 at
# 0.02, 1.5-2.2 near plain descent's limit), and it overshoots every time, as the lecture's figure shows. The
# habit $\mu = 0.9$ is far from the best, though: your Exercise 3b puts the ravine ($m = 1$, $L = 50$) at
# $\mu \approx 0.57$ with a *larger* step, $\eta \approx 0.061$, beyond plain descent's limit of 0.04, and the
# tuned heavy ball gets within $10^{-3}$ in 35-50 steps: 2.5-3.5 times fewer than $\mu = 0.9$ at $\eta = 0.02$
# and 4.5-6.5 times fewer than plain descent at its own best constant rate $2/(m + L)$. Its worst factor per step,
# $(\sqrt\kappa - 1)/(\sqrt\kappa + 1)$ with $\kappa = L/m$, against plain descent's $(\kappa - 1)/(\kappa + 1)$, is
# the square-root speed-up that makes momentum matter on ill-conditioned problems. A real network has no single
# $m$ and $L$, and they change as training moves, which is why $\mu$ stays a hyper-parameter in practice.
#
# For the last claim we need many repetitions, so the objective is synthetic and cheap: a "validation loss" of
# hyper-parameters in $[0, 1]$ where only the first one matters much,
# $L(u, z_1, \dots) = (u - u^*)^2 + 0.01 \sum_j (z_j - z_j^*)^2$, with the optimum drawn at random for each of
# 200 seeds (in a real problem we do not know where it is). At equal budget, a grid (at $1/6, 1/2, 5/6$ per
# parameter: the best a grid can do without knowing the optimum) against random search (uniform points in the
# cube, what your `random_search` draws on linear scales), first with one unimportant parameter (9 trials), then
# with two (27 trials). We report the *regret*, the best loss found minus the true minimum 0.

# %% tags=heavy
levels = (1 / 6, 1 / 2, 5 / 6)
regret_ratio = {}
for n_unimportant in (1, 2):
    d = 1 + n_unimportant
    weights = np.array([1.0] + [0.01] * n_unimportant)  # only the first parameter, u, matters much
    grid = np.array(np.meshgrid(*[levels] * d)).reshape(d, -1).T  # (3^d, d)
    regret_grid, regret_random = [], []
    for seed in range(200):
        rng = np.random.default_rng(seed)
        star = rng.uniform(0, 1, size=d)  # this problem's optimum
        trials = rng.uniform(0, 1, size=(len(grid), d))  # random search with the grid's budget
        regret_grid.append(np.min(((grid - star) ** 2) @ weights))
        regret_random.append(np.min(((trials - star) ** 2) @ weights))
    regret_grid, regret_random = np.array(regret_grid), np.array(regret_random)
    wins = np.mean(regret_random < regret_grid)
    regret_ratio[d] = (
        regret_random.mean() / regret_grid.mean(),
        np.median(regret_random) / np.median(regret_grid),
        wins,
    )
    print(f"{d} parameters, {len(grid)} trials each, 200 seeds:")
    print(f"  mean regret   grid {regret_grid.mean():.5f}   random {regret_random.mean():.5f}")
    print(f"  median regret grid {np.median(regret_grid):.5f}   random {np.median(regret_random):.5f}")
    print(f"  random search better than the grid on {wins:.1%} of the seeds")
claim(
    "2 parameters: mean regret, random / grid (modest)",
    regret_ratio[2][0],
    0.6,
    1.0,
    fmt=".2f",
    lecture="random better (Bergstra & Bengio 2012)",
)
claim("2 parameters: median regret, random / grid (clear)", regret_ratio[2][1], 0.3, 0.6, fmt=".2f")
claim("2 parameters: fraction of problems where random wins", regret_ratio[2][2], 0.5, 0.7, fmt=".2f")
claim("3 parameters: mean regret, random / grid (wide margin)", regret_ratio[3][0], 0.2, 0.4, fmt=".2f")
_ = claim("3 parameters: fraction of problems where random wins (not all)", regret_ratio[3][2], 0.6, 0.85, fmt=".2f")

# %% [markdown]
# **Reading the numbers.**
#
# - *Initial loss.* With a small last layer the initial loss matches $\ln 10$ within 0.02, well within the
#   lecture's "about 2.5 is fine". With He initialisation of the last layer (the default in
#   `coursekit.nn.Linear`) it starts higher, since the initial scores are not tiny; not a bug, but a reminder that
#   the $\ln C$ check assumes small initial scores.
# - *Momentum.* On the ravine momentum needs fewer steps than plain gradient descent at every learning rate:
#   6 to 8 times fewer at $\eta = 0.01$, 3 to 4 times at 0.02, but only 1.5 to 2.2 times at 0.036, close to plain
#   gradient descent's stability limit 0.04 (the claims above). The advantage is largest where plain gradient
#   descent is slowest (small $\eta$: its shallow direction shrinks by $1 - \eta$ per step, while momentum's rate
#   is set by $\sqrt{\mu}$). And it overshoots: $w_1$ runs past $+1$ at every rate, well past the minimum at 0,
#   before coming back, exactly the lecture's picture. The flip side:
#   momentum multiplies the effective step along consistent directions by about $1/(1-\mu)$, so the learning rate
#   has to be chosen together with $\mu$ (and Nesterov's stability limit is tighter, section 4).
# - *Random vs grid.* At equal budget random search has the lower regret, as Bergstra and Bengio argue: it
#   tries 9 (or 27) distinct values of the important $u$, the grid only 3. With one unimportant parameter the
#   advantage is modest in the mean (random's mean regret is 60 to 100 % of the grid's: a well-placed grid is not
#   a bad design in 1-D, and random points sometimes cluster) and clear in the median (30 to 60 %); with two
#   unimportant parameters the grid wastes 24 of its 27 runs on repeats and random search wins by a wide margin
#   (mean regret 20 to 40 % of the grid's). It does not win on every problem (on 50 to 70 % of them with two
#   parameters, 60 to 85 % with three): when $u^*$ sits next to a grid value the grid is better; the claim is
#   about the average over problems whose optimum we do not know.
#
# ## 11. Summary
#
# - Gradient descent: $w \leftarrow w - \eta \nabla C$ until the weights stop moving. The full gradient costs
#   $O(N)$; mini-batches estimate it with an error falling like $1/\sqrt B$; an epoch is one pass over the data.
# - Ill-conditioned losses form ravines: the steep direction caps $\eta$ and zig-zags, the shallow one crawls.
# - Momentum $v \leftarrow \mu v - \eta g$, $w \leftarrow w + v$ (a ball with friction, $\mu \approx 0.9$–$0.99$)
#   accumulates speed along consistent directions and cancels oscillations; it overshoots but arrives sooner.
#   Nesterov looks ahead. Torch stores $b = -v/\eta$: the same path for a constant learning rate.
# - AdaGrad, RMSProp and Adam scale each coordinate by its gradient history; Adam adds momentum and corrects the
#   zero-initialised averages for their bias towards zero (the factor you derived), $t$ starting at 1.
# - Modern recipe: a short linear warm-up, then a cosine decay to (almost) zero, and AdamW, whose weight decay
#   shrinks every weight by the same fraction instead of passing through Adam's per-coordinate scaling.
# - The learning rate matters most: read the loss curve (explodes / stalls high / crawls / good) and decay it
#   (step, $\alpha_0 e^{-kt}$, $\alpha_0/(1+kt)$).
# - Babysit: initial loss $\approx \ln C$, regularisation raises it, a tiny subset can be overfit; then tune on
#   the validation set with random (log-scale) search, coarse to fine.
#
# ## Further reading
#
# - B. T. Polyak, *Some methods of speeding up the convergence of iteration methods*, USSR Computational
#   Mathematics and Mathematical Physics 4(5) (1964): the heavy-ball (momentum) method.
# - Y. Nesterov, *A method for solving the convex programming problem with convergence rate O(1/k²)*, Soviet
#   Mathematics Doklady 27 (1983).
# - I. Sutskever, J. Martens, G. Dahl, G. Hinton, *On the importance of initialization and momentum in deep
#   learning*, ICML 2013; Y. Bengio, N. Boulanger-Lewandowski, R. Pascanu, *Advances in optimizing recurrent
#   networks*, ICASSP 2013 (the Nesterov reformulation).
# - J. Duchi, E. Hazan, Y. Singer, *Adaptive subgradient methods for online learning and stochastic
#   optimization*, JMLR 12 (2011) (AdaGrad).
# - G. Hinton, N. Srivastava, K. Swersky, *Neural networks for machine learning*, Coursera lecture 6e (2012)
#   (RMSProp).
# - D. P. Kingma, J. Ba, *Adam: a method for stochastic optimization*, ICLR 2015.
# - J. Bergstra, Y. Bengio, *Random search for hyper-parameter optimization*, JMLR 13 (2012).
# - P. Goyal et al., *Accurate, large minibatch SGD: training ImageNet in 1 hour*, arXiv:1706.02677 (2017) (the
#   linear warm-up); I. Loshchilov, F. Hutter, *SGDR: stochastic gradient descent with warm restarts*, ICLR 2017
#   (the cosine schedule).
# - I. Loshchilov, F. Hutter, *Decoupled weight decay regularization*, ICLR 2019 (AdamW).
# - L. Bottou, F. E. Curtis, J. Nocedal, *Optimization methods for large-scale machine learning*, SIAM Review
#   60(2) (2018); S. Ruder, *An overview of gradient descent optimization algorithms* (2016, arXiv:1609.04747).
# - Stanford CS231n notes, *Neural networks part 3: learning and evaluation* (babysitting, parameter updates,
#   hyper-parameter search).

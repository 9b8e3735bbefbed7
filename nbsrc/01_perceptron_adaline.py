# %% [markdown]
# # 01 · The first neurons: threshold units, the perceptron and ADALINE
#
# A modern network is a stack of very simple pieces. This notebook takes the simplest piece, one artificial
# neuron, and follows the two learning rules from the late 1950s that first made such a neuron *learn*:
# Rosenblatt's perceptron and Widrow and Hoff's ADALINE. Then it finds the wall they hit (XOR) and the way
# over it (a second layer).
#
# **After this notebook you can**
#
# - write a neuron as a linear model followed by a threshold, and set its weights by hand for a gate
#   (NAND, majority, inhibition), not only for the AND, OR and NOT the text shows;
# - implement the perceptron rule and its training loop, and say when it converges and when it cannot;
# - derive ADALINE's batch rule as gradient descent on a squared error, pick its learning rate $\mu$, and
#   explain why standardising the inputs speeds it up;
# - explain why one neuron cannot compute XOR, and compute it with a second layer built from other gates
#   than the text's, or with product features (three-input parity, derived as a polynomial);
# - build Gallant's pocket perceptron on top of your perceptron update, and show on overlapping data why
#   its weights are better than the plain perceptron's last ones;
# - use the convergence theorem backwards: build a small separable data set on which the perceptron needs
#   tens of thousands of mistakes;
# - state what two-layer networks can represent (any Boolean function; Cybenko's theorem).
#
# **Prerequisites.** NumPy arrays and matrix products, the dot product and its geometry, a derivative.
# No earlier notebook is needed.
#
# **`coursekit` parts used here:** `coursekit.classic` (threshold units, `Perceptron`, `PocketPerceptron`,
# `Adaline`: the text's experiments run on them, and the tests compare your answers with them, so your
# answers may not call them);
# `coursekit.data.load_iris`, `coursekit.data.make_xor`, `coursekit.data.make_blobs`,
# `coursekit.data.standardize`; `coursekit.plot.plot_decision_boundary`, `coursekit.plot.plot_curves`;
# `coursekit.claims.claim`, which checks every number the text quotes; `coursekit.grading` in the test cells.

# %%
from coursekit.plot import setup_notebook

setup_notebook()

from fractions import Fraction

import matplotlib.pyplot as plt
import numpy as np

from coursekit import classic, data, plot
from coursekit.claims import claim
from coursekit.grading import assert_between, assert_close, assert_equal, assert_shape

# %% [markdown]
# ## 1. A neuron is a linear model with a threshold
#
# A neuron receives numbers $x_1, \dots, x_D$ (the *features* of one example), weighs them and adds a bias:
#
# $$z = w \cdot x + b = \sum_{i=1}^{D} w_i x_i + b .$$
#
# $z$ is the *net input*. The neuron's output is an *activation function* of it. The oldest choice is the
# threshold (Heaviside) step, which makes the neuron a *threshold logic unit*:
#
# $$f(x) = [\,w \cdot x + b > 0\,] = \begin{cases} 1 & \text{if } w \cdot x + b > 0, \\
# 0 & \text{otherwise.} \end{cases}$$
#
# The bias is minus the threshold: the unit fires when $w \cdot x$ exceeds $-b$. Geometrically the set
# $w \cdot x + b = 0$ is a line (in 2-D), a plane (3-D), a hyperplane in general; $w$ is perpendicular to it
# and points to the side where the unit outputs 1. **One neuron is a linear classifier.** Other activations
# replace the step by $\operatorname{sign}(z)$, the sigmoid $1/(1+e^{-z})$ or the ReLU $(z)_+ = \max(0, z)$;
# they are the subject of notebook 03. The name "neuron" is a loose analogy: what matters for us is the
# computation, linear maps interleaved with simple non-linearities, $f = W_2 \max(0, W_1 x)$ for two layers.
#
# **Logic gates.** On binary inputs $x_1, x_2 \in \{0, 1\}$ a single threshold unit computes
#
# $$x_1 \wedge x_2 = [\,x_1 + x_2 - \tfrac32 > 0\,], \qquad x_1 \vee x_2 = [\,x_1 + x_2 - \tfrac12 > 0\,],
# \qquad \neg x_1 = [\,-x_1 + \tfrac12 > 0\,].$$
#
# The cell below checks the three truth tables with `coursekit.classic.threshold_unit`.

# %%
X2 = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
AND = classic.threshold_unit(X2, np.array([1.0, 1.0]), -1.5)
OR = classic.threshold_unit(X2, np.array([1.0, 1.0]), -0.5)
NOT = classic.threshold_unit(X2[:, :1], np.array([-1.0]), 0.5)
print("x1 x2 | AND OR | NOT x1")
for (x1, x2), a, o, n in zip(X2, AND, OR, NOT, strict=True):
    print(f" {x1}  {x2} |  {a}   {o} |   {n}")

# %% [markdown]
# Each gate is a line through the unit square with the 1-corners on one side. Exclusive or,
# $x_1 \oplus x_2 = [x_1 \ne x_2]$, puts its two 1-corners on a diagonal and its two 0-corners on the other:
# no single line separates them. The right panel tries OR's line on XOR and gets 3 of the 4 corners right;
# every line gets at least one wrong (you will prove it in the free-response question).

# %%
fig, axes = plt.subplots(1, 3, figsize=(9.0, 3.0))
panels = [
    ("AND: $x_1 + x_2 - 1.5 > 0$", AND, -1.5),
    ("OR: $x_1 + x_2 - 0.5 > 0$", OR, -0.5),
    ("XOR with OR's line: 3/4 right", np.array([0, 1, 1, 0]), -0.5),
]
for ax, (title, labels, bias) in zip(axes, panels, strict=True):
    plot.plot_decision_boundary(
        lambda G, bias=bias: classic.threshold_unit(G, np.array([1.0, 1.0]), bias), X2, labels, ax=ax, title=title
    )
plt.show()

# %% [markdown]
# ## 2. Rosenblatt's perceptron (~1957)
#
# Hand-set weights do not scale: the point of a neuron is to *learn* them from examples. Frank Rosenblatt's
# perceptron (described in 1957, published in 1958) did this. It first ran as a simulation on an IBM 704
# computer (1957); the **Mark I Perceptron** (1958) was its first hardware implementation: a camera made of a
# $20 \times 20$ grid of cadmium-sulfide photocells gave a 400-pixel image, the weights were potentiometers
# turned by electric motors, and the machine learned to recognise letters of the alphabet.
#
# **The rule.** Training examples $(x_j, d_j)$ with desired output $d_j \in \{0, 1\}$ are visited one at a
# time. The unit answers $y_j = [w \cdot x_j + b > 0]$, and every weight moves by
#
# $$w_i \leftarrow w_i + \alpha\,(d_j - y_j)\,x_{j,i}, \qquad b \leftarrow b + \alpha\,(d_j - y_j),$$
#
# with a learning rate $\alpha > 0$. There are only three cases:
#
# | case | update |
# |---|---|
# | correct, $d_j = y_j$ | nothing changes |
# | missed positive, $d_j = 1$, $y_j = 0$ | $w \leftarrow w + \alpha x_j$, $b \leftarrow b + \alpha$: the net input on $x_j$ grows by $\alpha(\lVert x_j\rVert^2 + 1)$ |
# | false positive, $d_j = 0$, $y_j = 1$ | $w \leftarrow w - \alpha x_j$, $b \leftarrow b - \alpha$: it shrinks by the same amount |
#
# So each mistake pushes the boundary towards the wrong-side example. It may not fix that example at once,
# and it may break another one, but if a separating line exists the process stops: the **perceptron
# convergence theorem** (Novikoff, 1962) says that when some $(w^*, b^*)$ separates the data with margin
# $\gamma$ and every (bias-augmented) input has norm at most $R$, the perceptron makes at most
# $(R/\gamma)^2$ mistakes in total, in any visiting order. With zero initial weights, $\alpha$ only scales $w$
# and $b$ and never changes a decision.
#
# **Data.** Two iris species (setosa and versicolor, 50 flowers each) on two features, sepal length and
# petal length in cm, from `coursekit.data.load_iris` (scikit-learn's copy of Fisher's data, offline).

# %%
X_iris, y_iris = data.load_iris()
keep = y_iris < 2  # setosa (0) and versicolor (1)
X_sep, y_sep = X_iris[keep][:, [0, 2]], y_iris[keep]
print("X_sep:", X_sep.shape, " classes:", np.bincount(y_sep))

percep = classic.Perceptron(lr=1.0, epochs=10).fit(X_sep, y_sep)
print("mistakes per epoch:", percep.errors_)
print("w =", np.round(percep.w_, 4), " b =", round(percep.b_, 4))
print("training accuracy:", f"{np.mean(percep.predict(X_sep) == y_sep):.4f}")
claim("epochs up to the first one without a mistake (n_iter_)", percep.n_iter_, 6, 6, fmt=".0f")
_ = claim("mistakes in all", sum(percep.errors_), 10, 10, fmt=".0f")

# %% [markdown]
# `coursekit.classic.Perceptron` visits the samples in the given order (`seed=None`). An epoch without a
# mistake changes nothing, so from then on nothing can change: the remaining epochs record 0 mistakes
# (`errors_` has one entry per epoch) and `n_iter_` says when it converged. Six epochs (the sixth is the
# clean one), ten mistakes in all: the two species are far apart on petal length.
#
# To *watch* the boundary move we need a harder pair. On sepal length and sepal *width* the two species
# are still separable, but only just (one setosa flower sits close to the versicolor cloud). We shuffle the
# flowers once and keep that order; with a fixed order, `Perceptron(epochs=k)` is exactly the state after
# $k$ epochs. Each panel's title counts the flowers its boundary gets wrong.

# %%
order = np.random.default_rng(0).permutation(len(y_sep))
X_hard, y_hard = X_iris[keep][order][:, [0, 1]], y_sep[order]
final = classic.Perceptron(lr=1.0, epochs=1000).fit(X_hard, y_hard)
fig, axes = plt.subplots(2, 3, figsize=(9.0, 5.4), sharex=True, sharey=True)
for k, ax in zip((1, 2, 3, 5, 20, final.n_iter_), axes.ravel(), strict=True):
    p_k = classic.Perceptron(lr=1.0, epochs=k).fit(X_hard, y_hard)
    wrong = int(np.sum(p_k.predict(X_hard) != y_hard))
    plot.plot_decision_boundary(
        p_k.predict,
        X_hard,
        y_hard,
        ax=ax,
        title=f"after epoch {k}: {wrong} wrong",
        xlabel="sepal length (cm)",
        ylabel="sepal width (cm)",
    )
    if ax is not axes[0, 0]:
        ax.get_legend().remove()
plt.show()
print(f"converged after {final.n_iter_} epochs and {sum(final.errors_)} mistakes in all")

# %% [markdown]
# The learning rate really is irrelevant here: the weights scale with $\alpha$, the decisions do not.

# %%
for lr in (1.0, 0.1, 0.001):
    p = classic.Perceptron(lr=lr, epochs=10).fit(X_sep, y_sep)
    print(f"lr={lr:<6} mistakes per epoch {p.errors_}  w/lr = {np.round(p.w_ / lr, 4)}  b/lr = {p.b_ / lr:.4f}")

# %% [markdown]
# ## 3. Widrow and Hoff's ADALINE (~1960)
#
# Bernard Widrow and Ted Hoff built ADALINE (*ADAptive LInear NEuron*) at Stanford around 1960. Its
# hardware stored the weights in **memistors**, resistors with memory that could both perform logic
# operations and keep information. The change that matters is in the learning rule: ADALINE learns from the
# **linear** output $y_j = w \cdot x_j + b$, before any threshold, by minimising the squared error
#
# $$J(w, b) = \frac12 \sum_{j=1}^{N} (d_j - y_j)^2 .$$
#
# $J$ is a smooth bowl (a quadratic) in $(w, b)$, and ADALINE walks down it by **steepest descent**: a step
# of size $\mu$ moves every parameter against its partial derivative,
#
# $$w \leftarrow w - \mu\, \frac{\partial J}{\partial w}, \qquad b \leftarrow b - \mu\, \frac{\partial J}{\partial b}.$$
#
# One epoch is one such step computed on all $N$ examples at once: the **batch Widrow-Hoff rule**. Working
# out the two derivatives, and the step in matrix form, is Exercise 5. Widrow and Hoff's own *delta rule*
# (the LMS algorithm, 1960) takes the same kind of step on one example's term $\frac12 (d_j - y_j)^2$ at a
# time. In 1986 Rumelhart, Hinton and Williams generalised it through hidden layers: backpropagation
# (notebook 02). To classify, ADALINE thresholds the linear output;
# with 0/1 targets the natural cut is halfway, $[y > 0.5]$ (`coursekit.classic.Adaline.predict`).
#
# Compare with the perceptron: its error $d_j - y_j$ is computed *after* the threshold, so it is 0 on every
# correct answer and the weights freeze once everything is right. ADALINE's error is a real number that is
# almost never 0, so it keeps moving towards the least-squares solution, which exists whether or not the
# classes are separable.
#
# **The learning rate.** Write $\tilde X = [X, \mathbf 1]$ (the inputs with a column of ones for the bias).
# The curvature of $J$ is $H = \tilde X^\top \tilde X$; gradient descent on a quadratic shrinks the error
# along each eigenvector of $H$ by a factor $|1 - \mu\lambda|$ per step. Hence
#
# - $\mu > 2/\lambda_{\max}$: some factor exceeds 1 and the cost **diverges**;
# - $\mu$ far below $1/\lambda_{\max}$: every factor is close to 1 and training **crawls**;
# - the best constant step is $\mu^* = 2/(\lambda_{\min} + \lambda_{\max})$, which makes the slowest and the
#   fastest direction shrink by the same factor; even there the error shrinks only by
#   $(\kappa - 1)/(\kappa + 1) \approx 1 - 2/\kappa$ per step, with the **condition number**
#   $\kappa = \lambda_{\max}/\lambda_{\min}$: a large $\kappa$ (a long, narrow valley) means slow training.
#
# Because $J$ sums over the $N$ examples, $H$ and so $\lambda_{\max}$ grow with $N$, and a safe $\mu$ shrinks
# as the data set grows (many implementations average the squared errors instead, which only rescales $\mu$).

# %%
(X_std,) = data.standardize(X_sep)  # per-feature (x - mean) / std, statistics from X_sep itself


def curvature(X):
    """Eigenvalues of H = [X, 1]^T [X, 1], smallest first."""
    Xt = np.column_stack([X, np.ones(len(X))])
    return np.linalg.eigvalsh(Xt.T @ Xt)


for name, X in (("raw (cm)", X_sep), ("standardised", X_std)):
    lam = curvature(X)
    print(
        f"{name:>13}: lambda_max = {lam[-1]:9.2f}  divergence above mu = 2/lambda_max = {2 / lam[-1]:.2e}"
        f"  condition number = {lam[-1] / lam[0]:7.1f}"
    )
lam_raw, lam_std = curvature(X_sep), curvature(X_std)
claim("condition number of the raw features (in the thousands)", lam_raw[-1] / lam_raw[0], 1000, 9999, fmt=".0f")
claim("condition number of the standardised features (below 10)", lam_std[-1] / lam_std[0], 1, 10, fmt=".2f")
claim("standardised: divergence bound 2/lambda_max", 2 / lam_std[-1], 0.0105, 0.0115, fmt=".4f")
_ = claim(
    "standardised: best constant step 2/(lambda_min + lambda_max)", 2 / (lam_std[0] + lam_std[-1]), 0.0099, 0.0101
)

# %% [markdown]
# On the standardised features the bound is $\mu < 2/\lambda_{\max} \approx 0.011$ (0.0105 to 0.0115).
# Below, ADALINE runs for 30 epochs at $\mu = 0.012$, just above the bound; at $\mu = 0.01$, just below it,
# which is also the best constant step $\mu^* = 2/(\lambda_{\min} + \lambda_{\max})$ here (0.0099 to 0.0101:
# for two standardised features with correlation $\rho$ the eigenvalues are $N(1 - \rho)$, $N$ and $N(1 + \rho)$,
# so $\lambda_{\min} + \lambda_{\max} = 2N$); and at two smaller values (log scale).
# After 30 epochs the cost at $\mu = 0.012$ has grown more than a thousandfold, while at $\mu = 10^{-4}$ it
# has only come down to 40-60 % of where it started.

# %%
mus = (0.012, 0.01, 1e-3, 1e-4)
costs = {f"$\\mu$ = {mu:g}": classic.Adaline(lr=mu, epochs=30).fit(X_std, y_sep).cost_ for mu in mus}
plot.plot_curves(costs, title="ADALINE on standardised iris features", ylabel="cost $J$ (before the step)", logy=True)
plt.show()
for label, c in costs.items():
    print(f"{label:>16}: cost after 30 epochs {c[-1]:.4g}")
growth = dict(zip(mus, (c[-1] / c[0] for c in costs.values()), strict=True))
claim("mu = 0.012 diverges: cost after 30 epochs / initial cost", growth[0.012], 1000, np.inf, fmt=".3g")
_ = claim("mu = 1e-4 crawls: cost after 30 epochs / initial cost", growth[1e-4], 0.4, 0.6, fmt=".3f")

# %% [markdown]
# **Standardising speeds it up.** Raw sepal and petal lengths are a few centimetres, all positive and
# correlated, and they share the bias direction: the bowl is a narrow valley (condition number in the
# thousands). `coursekit.data.standardize` centres each feature and divides by its standard deviation; the
# valley becomes round-ish (condition number below 10). Each run below uses a safe step matched to its
# own curvature, $\mu = 1/\lambda_{\max}$ (half the divergence bound), and we plot the *excess* cost $J - J^*$
# above the least-squares optimum. Standardised, $J$ comes within 1 % of the optimum $J^*$ in 20 to 40 epochs;
# on the raw features it is still more than 1 % above it after 2000 epochs.


# %%
def excess_cost(X, y, epochs):
    """ADALINE at mu = 1/lambda_max; returns J - J* per epoch."""
    Xt = np.column_stack([X, np.ones(len(X))])
    best = np.linalg.lstsq(Xt, y, rcond=None)[0]
    j_star = 0.5 * np.sum((y - Xt @ best) ** 2)
    cost = classic.Adaline(lr=1 / curvature(X)[-1], epochs=epochs).fit(X, y).cost_
    return np.array(cost) - j_star, j_star


gap_raw, j_star = excess_cost(X_sep, y_sep, 2000)
gap_std, _ = excess_cost(X_std, y_sep, 2000)
plot.plot_curves(
    {"raw features": gap_raw[:100], "standardised": gap_std[:100]},
    title="Raw vs standardised inputs ($\\mu = 1/\\lambda_{\\max}$ each)",
    ylabel="$J - J^*$",
    logy=True,
)
plt.show()
for name, gap in (("raw", gap_raw), ("standardised", gap_std)):
    close = gap < 0.01 * j_star
    when = f"after {np.argmax(close) + 1} epochs" if close.any() else f"not within {len(gap)} epochs"
    end = f"{gap[-1]:.2e}" if gap[-1] > 1e-12 else "below 1e-12 (rounding level)"
    print(f"{name:>13}: J within 1% of the optimum J* = {j_star:.4f} {when}; J - J* after {len(gap)}: {end}")
claim("standardised: epochs until J is within 1 % of J*", np.argmax(gap_std < 0.01 * j_star) + 1, 20, 40, fmt=".0f")
_ = claim("raw: (J - J*) / J* after 2000 epochs (still above 1 %)", gap_raw[-1] / j_star, 0.01, np.inf, fmt=".4f")

# %% [markdown]
# ## 4. XOR: where one neuron stops
#
# Any function one threshold unit computes is a half-plane, and XOR's classes are not separated by any
# half-plane. The perceptron rule cannot converge on it: with no separating line there is always a mistake
# left to correct, and every correction undoes another. `coursekit.data.make_xor` draws noisy points around
# the four corners; the experiments section counts the mistakes epoch by epoch.
#
# There are two ways out, and you will build both in the exercises.
#
# 1. **A non-linear feature.** Give the neuron the product $x_1 x_2$ as a third input. Then one threshold
#    suffices: $x_1 \oplus x_2 = [\,x_1 + x_2 - 2x_1x_2 - \tfrac12 > 0\,]$. The unit is still linear in its
#    three inputs. In the original plane, since
#    $x_1 + x_2 - 2x_1x_2 - \tfrac12 = -\tfrac12(1 - 2x_1)(1 - 2x_2)$, the boundary is a degenerate
#    hyperbola, the cross $x_1 = \tfrac12$, $x_2 = \tfrac12$, and the unit fires in the two quadrants where
#    exactly one coordinate exceeds $\tfrac12$.
# 2. **A second layer.** Compose gates: $x_1 \oplus x_2 = [\,(x_1 \vee x_2) - (x_1 \wedge x_2) - \tfrac12 > 0\,]$.
#    The hidden layer computes OR and AND (two lines); the output unit fires in the strip between them.
#
# The left panel shows the two hidden units' lines, the right panel the boundary of the product-feature unit.

# %%
X_xor, y_xor = data.make_xor(200, noise=0.1, rng=0)
g1, g2 = np.meshgrid(np.linspace(-0.5, 1.5, 201), np.linspace(-0.5, 1.5, 201))
fig, axes = plt.subplots(1, 2, figsize=(8.0, 3.4), sharey=True)
for ax in axes:
    for c in (0, 1):
        ax.scatter(*X_xor[y_xor == c].T, s=10, label=f"class {c}")
t = np.linspace(-0.5, 1.5, 2)
axes[0].plot(t, 0.5 - t, "k--", label="OR unit: $x_1+x_2=0.5$")
axes[0].plot(t, 1.5 - t, "k:", label="AND unit: $x_1+x_2=1.5$")
axes[0].set(
    title="Two layers: fire between the lines", xlabel="$x_1$", ylabel="$x_2$", xlim=(-0.5, 1.5), ylim=(-0.5, 2.1)
)
axes[1].contour(g1, g2, g1 + g2 - 2 * g1 * g2 - 0.5, levels=[0], colors="k")
axes[1].plot([], [], "k-", label="$x_1+x_2-2x_1x_2=0.5$")
axes[1].set(title="Product feature: the cross $x_1 = 1/2$, $x_2 = 1/2$", xlabel="$x_1$", xlim=(-0.5, 1.5))
for ax in axes:
    ax.legend(loc="upper center", ncol=2, fontsize=7)
plt.show()

# %% [markdown]
# ## 5. What networks of threshold units can represent
#
# - A **two-layer** network on $\{0,1\}^n$ realises **any Boolean function**. Construction: one hidden unit
#   per input pattern $r$ where the function is 1, firing on that pattern only,
#   $[\sum_{i: r_i = 1} x_i - \sum_{i: r_i = 0} x_i - (|r| - \tfrac12) > 0]$ with $|r|$ the number of ones in
#   $r$; the output unit is the OR of the hidden units. (It may need up to $2^n$ hidden units.)
# - A two-layer network in $\mathbb R^n$ can carve out any **convex polytope** (the AND of half-planes);
#   a three-layer network any **polyhedral region**, even non-convex or disconnected (an OR of polytopes).
# - **Cybenko's theorem (1989).** If $\sigma$ is a continuous sigmoid ($\sigma(z) \to 0$ as $z \to -\infty$,
#   $\sigma(z) \to 1$ as $z \to +\infty$), then for every continuous $f$ on $[0, 1]^n$ and every
#   $\varepsilon > 0$ there are $H$ and parameters $w_h \in \mathbb R^n$, $w_{0h}, \alpha_h \in \mathbb R$ such that
#   the one-hidden-layer network $a(x) = \sum_{h=1}^{H} \alpha_h\,\sigma(\langle x, w_h\rangle - w_{0h})$
#   satisfies $|a(x) - f(x)| < \varepsilon$ for all $x \in [0, 1]^n$. The lecture sets it beside
#   Kolmogorov's representation theorem (every continuous function of $n$ variables is a superposition of
#   continuous functions of one variable and addition), the classical ancestor of such results; Cybenko's own
#   proof is functional analysis (Hahn-Banach). The theorem says such a network
#   *exists*, not how wide it is or how to find it by training; notebook 02 fits one in practice.
# - Depth can beat width: for some classes of deep networks, a shallow network needs exponentially more
#   units to match them (Khrulkov, Novikov and Oseledets, ICLR 2018).
#
# The cell builds the two-layer construction for a random Boolean function of 4 inputs and checks all
# 16 rows.

# %%
rng = np.random.default_rng(7)
n = 4
rows = np.array([[(k >> i) & 1 for i in range(n)] for k in range(2**n)])  # all 16 inputs
target = rng.integers(0, 2, size=2**n)
ones = rows[target == 1]  # one hidden unit per pattern where the function is 1
W1 = (2 * ones - 1).T  # +1 where r_i = 1, -1 where r_i = 0: shape (n, hidden)
b1 = -(ones.sum(axis=1) - 0.5)
hidden = np.column_stack([classic.threshold_unit(rows, W1[:, h], b1[h]) for h in range(W1.shape[1])])
output = classic.threshold_unit(hidden, np.ones(W1.shape[1]), -0.5)  # OR of the hidden units
print("truth table:", "".join(map(str, target)))
print("network:    ", "".join(map(str, output)))
print(f"hidden units: {W1.shape[1]}, rows right: {np.sum(output == target)}/{2**n}")

# %% [markdown]
# ## Exercises
#
# Nine autograded exercises (24 points) and two free-response questions (5 points). Exercise 8, the pocket
# perceptron, builds on your Exercises 3 and 4, and the experiments after the exercises put it to use.
# Exercise 9 is a challenge with no recipe: a data set that makes your perceptron slow, found with the
# convergence theorem and your `train_perceptron`; the experiments then hold it against the theorem's bound. Each
# exercise cell says what to write; the cell after it tests your answer. Use NumPy and your own earlier answers.
# `coursekit.classic` (and scikit-learn's `Perceptron`) already do what the exercises ask, and the tests compare
# your answers with `coursekit.classic`: your answers may not call them (the grader gives such an answer 0).
# No answer may modify an array it is given (the hidden tests check the `w` and `X` they pass in): return new
# arrays.
#
# ### Exercise 1 (1 point): a threshold unit
#
# Implement `threshold_unit(x, w, b)` $= [\,w \cdot x + b > 0\,]$ for one input of shape `(D,)` (return a
# single 0/1 number) or a batch of shape `(N, D)` (return an `(N,)` integer array of 0/1). The inequality is
# strict: a net input of exactly 0 gives 0.


# %% solution id=threshold_unit forbid=coursekit.classic
def threshold_unit(x, w, b):
    """Threshold logic unit [w . x + b > 0].

    x : (D,) or (N, D) array; w : (D,) array; b : float.
    Returns a 0/1 number for x of shape (D,), an (N,) array of 0/1 integers for x of shape (N, D).
    """
    ### BEGIN SOLUTION
    z = np.asarray(x, dtype=np.float64) @ np.asarray(w, dtype=np.float64) + b
    return (z > 0).astype(np.int64)
    ### END SOLUTION


# %% tests id=test_threshold_unit points=1
X2 = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
assert_equal(
    threshold_unit(X2, np.array([1.0, 1.0]), -1.5),
    np.array([0, 0, 0, 1]),
    name="threshold_unit(truth table, w=[1, 1], b=-1.5)",
)
assert_equal(
    threshold_unit(np.array([1.0, 1.0]), np.array([1.0, 1.0]), -1.5),
    1,
    name="threshold_unit on the single input [1, 1]",
)
### BEGIN HIDDEN TESTS
assert_equal(
    threshold_unit(X2, np.array([1.0, 1.0]), -1.0),
    np.array([0, 0, 0, 1]),
    name="threshold_unit where w.x + b = 0 exactly (must give 0)",
)
assert_equal(
    threshold_unit(np.array([0.0, 0.0]), np.array([1.0, 1.0]), 0.0),
    0,
    name="threshold_unit at w.x + b = 0 on a single input",
)
_rng = np.random.default_rng(101)
_X, _w = _rng.normal(size=(25, 3)), _rng.normal(size=3)
for _b in (0.7, -0.7):
    assert_equal(
        threshold_unit(_X, _w, _b),
        classic.threshold_unit(_X, _w, _b),
        name=f"threshold_unit on a random (25, 3) batch with b={_b}",
    )
### END HIDDEN TESTS

# %% [markdown]
# ### Exercise 2 (3 points): gates the text does not solve
#
# Choose weights and a bias so that one threshold unit $[\,w \cdot x + b > 0\,]$ computes each gate on
# $\{0, 1\}$ inputs (biases are floats):
#
# - `NAND_W` (shape `(2,)`), `NAND_B`: NAND, $\neg(x_1 \wedge x_2)$, which is 0 only when both inputs are 1;
# - `INHIBIT_W` (shape `(3,)`), `INHIBIT_B`: $(x_1 \vee x_2) \wedge \neg x_3$, McCulloch and Pitts'
#   *inhibition*: the unit fires when at least one of $x_1, x_2$ is 1, but never while the inhibitory input
#   $x_3$ is 1;
# - `MAJORITY_W` (shape `(3,)`), `MAJORITY_B`: the majority of three inputs, 1 when at least two of
#   $x_1, x_2, x_3$ are 1.
#
# Put each boundary well away from the corners: the tests also move every input by up to $\pm 0.1$ in each
# coordinate (every combination of $-0.1$, $0$, $+0.1$) and expect the same answer.

# %% solution id=gate_weights forbid=coursekit.classic
# Define NAND_W (2,), INHIBIT_W (3,), MAJORITY_W (3,) and the float biases NAND_B, INHIBIT_B, MAJORITY_B.
### BEGIN SOLUTION
NAND_W, NAND_B = np.array([-1.0, -1.0]), 1.5
INHIBIT_W, INHIBIT_B = np.array([1.0, 1.0, -2.0]), -0.5
MAJORITY_W, MAJORITY_B = np.array([1.0, 1.0, 1.0]), -1.5
### END SOLUTION

# %% tests id=test_gate_weights points=3
X2 = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
X3 = np.array([[a, c, e] for a in (0, 1) for c in (0, 1) for e in (0, 1)])  # rows 000, 001, ..., 111
assert_shape(NAND_W, (2,), name="NAND_W")
assert_shape(INHIBIT_W, (3,), name="INHIBIT_W")
assert_shape(MAJORITY_W, (3,), name="MAJORITY_W")
assert_equal(classic.threshold_unit(X2, NAND_W, NAND_B), np.array([1, 1, 1, 0]), name="NAND truth table")
assert_equal(
    classic.threshold_unit(X3, INHIBIT_W, INHIBIT_B),
    np.array([0, 0, 1, 0, 1, 0, 1, 0]),
    name="(x1 OR x2) AND NOT x3 truth table (rows 000, 001, ..., 111)",
)
assert_equal(
    classic.threshold_unit(X3, MAJORITY_W, MAJORITY_B),
    np.array([0, 0, 0, 1, 0, 1, 1, 1]),
    name="MAJORITY truth table (rows 000, 001, ..., 111)",
)
### BEGIN HIDDEN TESTS
_steps = (-0.1, 0.0, 0.1)
_shift2 = np.array([[a, c] for a in _steps for c in _steps])
_shift3 = np.array([[a, c, e] for a in _steps for c in _steps for e in _steps])
_X2j = (X2[:, None, :] + _shift2[None]).reshape(-1, 2)
_X3j = (X3[:, None, :] + _shift3[None]).reshape(-1, 3)
assert_equal(
    classic.threshold_unit(_X2j, NAND_W, NAND_B),
    np.repeat([1, 1, 1, 0], len(_shift2)),
    name="NAND on inputs moved by up to 0.1",
)
assert_equal(
    classic.threshold_unit(_X3j, INHIBIT_W, INHIBIT_B),
    np.repeat([0, 0, 1, 0, 1, 0, 1, 0], len(_shift3)),
    name="(x1 OR x2) AND NOT x3 on inputs moved by up to 0.1",
)
assert_equal(
    classic.threshold_unit(_X3j, MAJORITY_W, MAJORITY_B),
    np.repeat([0, 0, 0, 1, 0, 1, 1, 1], len(_shift3)),
    name="MAJORITY on inputs moved by up to 0.1",
)
### END HIDDEN TESTS

# %% [markdown]
# ### Exercise 3 (1 point): one perceptron update
#
# Implement `perceptron_update(w, b, x, d, lr)` for one example `x` of shape `(D,)` with desired output
# `d` (0 or 1): compute $y = [w \cdot x + b > 0]$ and return the new weights and bias
# $w + \alpha (d - y) x$ and $b + \alpha (d - y)$ (with $\alpha$ = `lr`). Return a **new** array: do not
# modify the `w` you were given (the caller may still need it).


# %% solution id=perceptron_update forbid=coursekit.classic,sklearn.linear_model.Perceptron
def perceptron_update(w, b, x, d, lr):
    """One step of Rosenblatt's rule. w, x : (D,); b : float; d : 0 or 1; lr > 0. Returns (w_new, b_new)."""
    ### BEGIN SOLUTION
    y = int(np.dot(w, x) + b > 0)
    step = lr * (d - y)
    return w + step * np.asarray(x, dtype=np.float64), b + step
    ### END SOLUTION


# %% tests id=test_perceptron_update points=1
_w, _b = perceptron_update(np.array([0.0, 0.0]), 0.0, np.array([1.0, 2.0]), 1, 0.5)
assert_close(_w, np.array([0.5, 1.0]), name="w after a missed positive (d=1, y=0, lr=0.5)")
assert_close(_b, 0.5, name="b after a missed positive (d=1, y=0, lr=0.5)")
_w, _b = perceptron_update(np.array([1.0, -1.0]), 0.5, np.array([1.0, 2.0]), 0, 0.5)
assert_close(_w, np.array([1.0, -1.0]), name="w after a correct answer (should not change)")
assert_close(_b, 0.5, name="b after a correct answer (should not change)")
### BEGIN HIDDEN TESTS
_w, _b = perceptron_update(np.array([1.0, 1.0]), 0.0, np.array([2.0, 1.0]), 0, 0.25)
assert_close(_w, np.array([0.5, 0.75]), name="w after a missed negative (d=0, y=1, lr=0.25)")
assert_close(_b, -0.25, name="b after a missed negative (d=0, y=1, lr=0.25)")
_w, _b = perceptron_update(np.array([1.0, -1.0]), 0.0, np.array([1.0, 1.0]), 1, 0.5)
assert_close(_w, np.array([1.5, -0.5]), name="w when w.x + b = 0 exactly (y must be 0, so d=1 is a miss)")
assert_close(_b, 0.5, name="b when w.x + b = 0 exactly (y must be 0, so d=1 is a miss)")
_w0 = np.array([0.2, -0.3, 0.1])
_w, _b = perceptron_update(_w0, -0.5, np.array([1.0, 1.0, 1.0]), 1, 1.0)
assert_close(_w0, np.array([0.2, -0.3, 0.1]), name="the w passed in (perceptron_update must not modify it)")
assert_close(_w, np.array([1.2, 0.7, 1.1]), name="w after a missed positive (d=1, y=0, lr=1)")
assert_close(_b, 0.5, name="b after a missed positive (d=1, y=0, lr=1)")
### END HIDDEN TESTS

# %% [markdown]
# ### Exercise 4 (3 points): the perceptron training loop
#
# Implement `train_perceptron(X, y, lr=1.0, epochs=10)` for `X` of shape `(N, D)` and 0/1 labels `y` of
# shape `(N,)`. Start from `w = np.zeros(D)` and `b = 0.0`. In every epoch visit the examples in order
# $j = 0, 1, \dots, N-1$, apply the perceptron update to each (your `perceptron_update` is welcome), and count
# the examples that were misclassified *at the moment they were visited* (the ones that caused an update).
# Run all `epochs` epochs, even after an epoch without mistakes. Return `(w, b, errors)` where `errors` is a
# list of `epochs` integers, the mistakes of each epoch. The tests compare `w`, `b` and `errors` with the
# `w_`, `b_` and `errors_` of `coursekit.classic.Perceptron(lr, epochs)` (samples in the given order); they
# also check that `X` comes back unmodified.


# %% solution id=train_perceptron forbid=coursekit.classic,sklearn.linear_model.Perceptron
def train_perceptron(X, y, lr=1.0, epochs=10):
    """Online perceptron. X : (N, D), y : (N,) of 0/1. Returns w : (D,), b : float, errors : list of epochs ints."""
    ### BEGIN SOLUTION
    X = np.asarray(X, dtype=np.float64)
    w, b, errors = np.zeros(X.shape[1]), 0.0, []
    for _ in range(epochs):
        mistakes = 0
        for x_j, d_j in zip(X, y, strict=True):
            mistakes += int(d_j != int(w @ x_j + b > 0))
            w, b = perceptron_update(w, b, x_j, d_j, lr)
        errors.append(mistakes)
    return w, b, errors
    ### END SOLUTION


# %% tests id=test_train_perceptron points=3
def _reference_perceptron(X, y, lr, epochs):
    p = classic.Perceptron(lr=lr, epochs=epochs).fit(X, y)
    return p.w_, p.b_, p.errors_


X2 = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
_w, _b, _errors = train_perceptron(X2, np.array([0, 0, 0, 1]), lr=1.0, epochs=8)
assert_equal(_errors, [1, 3, 3, 2, 1, 0, 0, 0], name="mistakes per epoch learning AND (8 epochs)")
assert_close(_w, np.array([2.0, 1.0]), name="w after learning AND")
assert_close(_b, -2.0, name="b after learning AND")
### BEGIN HIDDEN TESTS
_Xi, _yi = data.load_iris()
_Xi, _yi = _Xi[_yi < 2][:, [0, 2]], _yi[_yi < 2]
_Xi_copy = _Xi.copy()
for _lr, _epochs in ((1.0, 10), (0.5, 4)):
    _ref = _reference_perceptron(_Xi, _yi, _lr, _epochs)
    _got = train_perceptron(_Xi, _yi, lr=_lr, epochs=_epochs)
    assert_equal(list(_got[2]), _ref[2], name=f"mistakes per epoch on iris (lr={_lr}, epochs={_epochs})")
    assert_close(_got[0], _ref[0], name=f"w on iris (lr={_lr}, epochs={_epochs})")
    assert_close(_got[1], _ref[1], name=f"b on iris (lr={_lr}, epochs={_epochs})")
assert_close(_Xi, _Xi_copy, name="X passed to train_perceptron (must not be modified)")
_ref = _reference_perceptron(X2, np.array([0, 1, 1, 0]), 1.0, 12)
assert_equal(
    list(train_perceptron(X2, np.array([0, 1, 1, 0]), epochs=12)[2]),
    _ref[2],
    name="mistakes per epoch on the XOR truth table (12 epochs)",
)
### END HIDDEN TESTS

# %% [markdown]
# ### Exercise 5 (3 points): ADALINE's batch step, derived
#
# On a batch `X` of shape `(N, D)` with targets `d` of shape `(N,)`, ADALINE's linear output is $y = Xw + b$
# (no threshold; $b$ is added to every entry) and its cost is
#
# $$E(w, b) = \frac12 \sum_{j=1}^{N} (d_j - y_j)^2 .$$
#
# Derive $\partial E / \partial w$ (shape `(D,)`) and $\partial E / \partial b$ (a number). Writing the residual
# vector $r = d - y$ helps, and the result needs no loop over the examples: one matrix-vector product and a
# sum. Then implement `adaline_epoch(X, d, w, b, mu)`, one steepest-descent step of size $\mu$ = `mu`, which
# returns the triple
#
# - `w_new` $= w - \mu\, \partial E / \partial w$ (shape `(D,)`, a new array: leave `w` untouched),
# - `b_new` $= b - \mu\, \partial E / \partial b$ (a float),
# - `cost` $= E(w, b)$, computed with the weights *before* the step (a float).
#
# $E$ is a sum over the examples, not a mean: do not divide by $N$. The hidden tests also take six steps in a
# row from $w = 0$, $b = 0$ on a random `(30, 3)` problem and compare every cost and the final weights with
# the reference.


# %% solution id=adaline_epoch forbid=coursekit.classic
def adaline_epoch(X, d, w, b, mu):
    """One steepest-descent step on E. X : (N, D), d : (N,), w : (D,), b : float. Returns (w_new, b_new, cost)."""
    ### BEGIN SOLUTION
    residual = d - (X @ w + b)  # r = d - y
    grad_w = -(X.T @ residual)  # dE/dw = -X^T r
    grad_b = -float(residual.sum())  # dE/db = -sum_j r_j
    return w - mu * grad_w, b - mu * grad_b, 0.5 * float(residual @ residual)
    ### END SOLUTION


# %% tests id=test_adaline_epoch points=3
_X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
_w, _b, _cost = adaline_epoch(_X, np.array([1.0, 0.0, 1.0]), np.zeros(2), 0.0, 0.1)
assert_close(_cost, 1.0, name="cost from zero weights (1/2 * sum of squared errors)")
assert_close(_w, np.array([0.2, 0.1]), name="w_new from zero weights (mu=0.1)")
assert_close(_b, 0.2, name="b_new from zero weights (mu=0.1)")
### BEGIN HIDDEN TESTS
_w0 = np.array([0.5, -0.25])
_w, _b, _cost = adaline_epoch(_X, np.array([1.0, 0.0, 1.0]), _w0, 0.25, 0.1)
assert_close(_w0, np.array([0.5, -0.25]), name="the w passed in (adaline_epoch must not modify it)")
assert_close(_cost, 0.15625, name="cost from w=[0.5, -0.25], b=0.25")
assert_close(_w, np.array([0.575, -0.2]), name="w_new from w=[0.5, -0.25], b=0.25")
assert_close(_b, 0.325, name="b_new from w=[0.5, -0.25], b=0.25")
_rng = np.random.default_rng(5)
_X = _rng.normal(size=(30, 3)) + 1.0
_d = (_X[:, 0] - _X[:, 1] > 0).astype(np.int64)
_ref = classic.Adaline(lr=0.005, epochs=6).fit(_X, _d)
_w, _b, _costs = np.zeros(3), 0.0, []
for _ in range(6):
    _w, _b, _c = adaline_epoch(_X, _d, _w, _b, 0.005)
    _costs.append(_c)
assert_close(_costs, _ref.cost_, name="costs over 6 epochs on a random (30, 3) problem")
assert_close(_w, _ref.w_, name="w after 6 epochs on a random (30, 3) problem")
assert_close(_b, _ref.b_, name="b after 6 epochs on a random (30, 3) problem")
### END HIDDEN TESTS

# %% [markdown]
# ### Exercise 6 (3 points): XOR from a NAND unit and an OR unit
#
# Section 4 built XOR from an OR unit and an AND unit. Build it from another hidden pair: set the weights of
# a 2-2-1 network of threshold units by hand, and write its forward pass `xor_two_layer(X)` for `X` of shape
# `(N, 2)`:
#
# - hidden layer: $h = [\,X W_1 + b_1 > 0\,]$ with `XOR_W1` of shape `(2, 2)` (inputs × hidden units, the
#   course's layout) and `XOR_B1` of shape `(2,)`; $h$ has shape `(N, 2)`. Hidden unit 0 (column 0 of
#   `XOR_W1`, entry 0 of `XOR_B1`) computes NAND$(x_1, x_2)$; hidden unit 1 (column 1, entry 1) computes
#   OR$(x_1, x_2)$;
# - output: $[\,h \cdot w_2 + b_2 > 0\,]$ with `XOR_W2` of shape `(2,)` and a float `XOR_B2` (the network's
#   output has shape `(N,)`, 0/1); the output unit computes the AND of the two hidden outputs,
#   $h_0 \wedge h_1$, on every $h \in \{0, 1\}^2$.
#
# As in Exercise 2, inputs moved by up to $\pm 0.1$ must give the same answer. The tests check each hidden
# unit's truth table on moved inputs, the output unit's AND table, and the whole network, running `XOR_W1`,
# `XOR_B1`, `XOR_W2`, `XOR_B2` through the reference threshold units as well as through your `xor_two_layer`.

# %% solution id=xor_two_layer forbid=coursekit.classic
# Define XOR_W1 (2, 2), XOR_B1 (2,), XOR_W2 (2,) and the float XOR_B2, then write xor_two_layer below.
### BEGIN SOLUTION
XOR_W1 = np.array([[-1.0, 1.0], [-1.0, 1.0]])  # column 0: NAND unit, column 1: OR unit
XOR_B1 = np.array([1.5, -0.5])
XOR_W2 = np.array([1.0, 1.0])  # NAND and OR
XOR_B2 = -1.5
### END SOLUTION


def xor_two_layer(X):
    """XOR by a 2-2-1 threshold network. X : (N, 2) -> (N,) of 0/1."""
    ### BEGIN SOLUTION
    h = (np.asarray(X, dtype=np.float64) @ XOR_W1 + XOR_B1 > 0).astype(np.float64)
    return (h @ XOR_W2 + XOR_B2 > 0).astype(np.int64)
    ### END SOLUTION


# %% tests id=test_xor_two_layer points=3
X2 = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
assert_shape(XOR_W1, (2, 2), name="XOR_W1")
assert_shape(XOR_B1, (2,), name="XOR_B1")
assert_shape(XOR_W2, (2,), name="XOR_W2")
assert_equal(xor_two_layer(X2), np.array([0, 1, 1, 0]), name="xor_two_layer on the truth table")
### BEGIN HIDDEN TESTS
_shift = np.array([[a, c] for a in (-0.1, 0.0, 0.1) for c in (-0.1, 0.0, 0.1)])
_Xj = (X2[:, None, :] + _shift[None]).reshape(-1, 2)
for _k, (_gate, _table) in enumerate((("NAND", [1, 1, 1, 0]), ("OR", [0, 1, 1, 1]))):
    assert_equal(
        classic.threshold_unit(_Xj, XOR_W1[:, _k], XOR_B1[_k]),
        np.repeat(_table, len(_shift)),
        name=f"hidden unit {_k} (column {_k} of XOR_W1, XOR_B1[{_k}]) as {_gate} on inputs moved by up to 0.1",
    )
assert_equal(
    classic.threshold_unit(X2, XOR_W2, XOR_B2),
    np.array([0, 0, 0, 1]),
    name="the output unit XOR_W2, XOR_B2 as AND of h in {0, 1}^2",
)
_yj = np.repeat([0, 1, 1, 0], len(_shift))
assert_equal(xor_two_layer(_Xj), _yj, name="xor_two_layer on inputs moved by up to 0.1")
_h = np.column_stack([classic.threshold_unit(_Xj, XOR_W1[:, k], XOR_B1[k]) for k in range(2)])
assert_equal(
    classic.threshold_unit(_h, XOR_W2, XOR_B2),
    _yj,
    name="the network XOR_W1, XOR_B1, XOR_W2, XOR_B2 run by the reference threshold units",
)
### END HIDDEN TESTS

# %% [markdown]
# ### Exercise 7 (1 point): three-input parity with one neuron and product features
#
# Section 4 gave one neuron the product $x_1 x_2$ and it computed XOR. Do the same for the **parity of three
# inputs**, $x_1 \oplus x_2 \oplus x_3$ (1 when an odd number of the three are 1), which no single threshold unit
# on $x_1, x_2, x_3$ alone can compute. Write `parity_features(X)` that maps `X` of shape `(N, 3)` (any real
# numbers, not only 0/1) to the `(N, 7)` array with the columns
#
# $$x_1,\ x_2,\ x_3,\ x_1x_2,\ x_1x_3,\ x_2x_3,\ x_1x_2x_3$$
#
# in this order, and set `PARITY_W` (shape `(7,)`) and `PARITY_B` (a float) so that one threshold unit on these
# features computes the parity on the eight corners of $\{0, 1\}^3$, robustly: inputs moved by up to $\pm 0.1$
# in every coordinate must give the same answer. The weights are to be derived, not searched for: write the
# parity as a polynomial in $x_1, x_2, x_3$ that is exact on the corners.


# %% solution id=parity_feature forbid=coursekit.classic
def parity_features(X):
    """Columns x1, x2, x3, x1*x2, x1*x3, x2*x3, x1*x2*x3. X : (N, 3) -> (N, 7)."""
    ### BEGIN SOLUTION
    X = np.asarray(X, dtype=np.float64)
    x1, x2, x3 = X.T
    return np.column_stack([x1, x2, x3, x1 * x2, x1 * x3, x2 * x3, x1 * x2 * x3])
    ### END SOLUTION


# Define PARITY_W (7,) and the float PARITY_B.
### BEGIN SOLUTION
# On the corners 1 - 2 x_i is +1 or -1, and the parity is (1 - (1 - 2x1)(1 - 2x2)(1 - 2x3)) / 2; expanded,
# x1 + x2 + x3 - 2 (x1x2 + x1x3 + x2x3) + 4 x1x2x3. Minus 1/2 it is -(1 - 2x1)(1 - 2x2)(1 - 2x3) / 2, which
# keeps its sign and stays at least 0.8**3 / 2 = 0.256 away from 0 on corners moved by up to 0.1.
PARITY_W = np.array([1.0, 1.0, 1.0, -2.0, -2.0, -2.0, 4.0])
PARITY_B = -0.5
### END SOLUTION

# %% tests id=test_parity_feature points=1
X3 = np.array([[a, b, c] for a in (0, 1) for b in (0, 1) for c in (0, 1)])
parity3 = X3.sum(axis=1) % 2
_X = np.array([[1.0, 1.0, 0.0], [1.0, 1.0, 1.0]])
assert_close(
    parity_features(_X),
    np.array([[1, 1, 0, 1, 0, 0, 0], [1, 1, 1, 1, 1, 1, 1]]),
    name="parity_features([[1, 1, 0], [1, 1, 1]])",
)
assert_shape(PARITY_W, (7,), name="PARITY_W")
assert_equal(
    classic.threshold_unit(parity_features(X3), PARITY_W, PARITY_B),
    parity3,
    name="one threshold unit with PARITY_W, PARITY_B on parity_features(the 8 corners, in binary order 000 to 111)",
)
### BEGIN HIDDEN TESTS
_X = np.array([[0.5, -2.0, 3.0], [3.0, 0.25, -1.0], [-1.5, -4.0, 0.5]])
assert_close(
    parity_features(_X),
    np.array([[0.5, -2.0, 3.0, -1.0, 1.5, -6.0, -3.0], [3.0, 0.25, -1.0, 0.75, -3.0, -0.25, -0.75],
              [-1.5, -4.0, 0.5, 6.0, -0.75, -2.0, 3.0]]),
    name="parity_features on real-valued inputs",
)
_shift = np.array([[a, b, c] for a in (-0.1, 0.0, 0.1) for b in (-0.1, 0.0, 0.1) for c in (-0.1, 0.0, 0.1)])
_Xj = (X3[:, None, :] + _shift[None]).reshape(-1, 3)
assert_equal(
    classic.threshold_unit(parity_features(_Xj), PARITY_W, PARITY_B),
    np.repeat(parity3, len(_shift)),
    name="the parity unit on the 8 corners moved by up to 0.1 in every coordinate",
)
### END HIDDEN TESTS

# %% [markdown]
# ### Exercise 8 (5 points): the pocket perceptron
#
# On data that are not separable the perceptron never settles (the experiments below measure it), so the
# weights `train_perceptron` returns are whatever the last update left, good or bad by luck. Gallant's
# *pocket algorithm* (1990) runs the same online perceptron and keeps "in its pocket" the best weights it
# has seen so far. Implement `pocket_perceptron(X, y, lr=1.0, epochs=10)` for `X` of shape `(N, D)` and 0/1
# labels `y` of shape `(N,)`, exactly as follows.
#
# 1. **The running weights** do what they do in Exercise 4: they start at `w = np.zeros(D)`, `b = 0.0`; every
#    epoch visits the examples in order $j = 0, 1, \dots, N-1$ and applies the perceptron update to each (your
#    `perceptron_update` is welcome); all `epochs` epochs run.
# 2. **The mistakes** of weights $(w, b)$ are the number of training examples they misclassify, counted over
#    the *whole* training set: the number of $j$ with $[\,w \cdot x_j + b > 0\,] \ne y_j$ (strict $>$, as always).
# 3. **The pocket starts** with the starting weights (zeros) and their mistakes.
# 4. **After every visit that changed the running weights** (a misclassified example), count the mistakes of
#    the new running weights. If they are *strictly* fewer than the pocket's, put a copy of the new weights
#    and their count in the pocket; on a tie the pocket keeps its older weights. Visits that change nothing
#    are not counted again.
# 5. **Return** `(w_pocket, b_pocket, mistakes)`: the pocket's weights (a new array of shape `(D,)`), its bias
#    (a float) and its number of mistakes (an int). Do not modify `X`.
#
# Two consequences you can check by hand: on separable data the pocket ends with the weights that
# `train_perceptron` converges to (0 mistakes); on the four XOR corners none of the weights the perceptron
# visits makes fewer than 2 mistakes, which is what the zero start makes (it answers 0 everywhere), so the
# pocket keeps the zero start. The hidden tests compare your three results with a reference implementation
# of these five steps on two overlapping iris species (in mm, centred) and on random integer data.


# %% solution id=pocket_perceptron forbid=coursekit.classic,sklearn.linear_model.Perceptron
def pocket_perceptron(X, y, lr=1.0, epochs=10):
    """Pocket perceptron. X : (N, D), y : (N,) of 0/1. Returns w_pocket : (D,), b_pocket : float, mistakes : int."""
    ### BEGIN SOLUTION
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y)

    def mistakes_of(w, b):
        return int(np.sum((X @ w + b > 0).astype(np.int64) != y))

    w, b = np.zeros(X.shape[1]), 0.0
    pocket = (w.copy(), b, mistakes_of(w, b))
    for _ in range(epochs):
        for x_j, d_j in zip(X, y, strict=True):
            if d_j == int(w @ x_j + b > 0):
                continue  # a correct answer changes nothing
            w, b = perceptron_update(w, b, x_j, d_j, lr)
            count = mistakes_of(w, b)
            if count < pocket[2]:
                pocket = (w.copy(), float(b), count)
    return pocket
    ### END SOLUTION


# %% tests id=test_pocket_perceptron points=5
X2 = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
_w, _b, _m = pocket_perceptron(X2, np.array([0, 0, 0, 1]), lr=1.0, epochs=8)
assert_close(_w, np.array([2.0, 1.0]), name="pocket w learning AND (separable: the converged weights)")
assert_close(_b, -2.0, name="pocket b learning AND")
assert_equal(_m, 0, name="pocket mistakes learning AND")
_w, _b, _m = pocket_perceptron(X2, np.array([0, 1, 1, 0]), lr=1.0, epochs=10)
assert_close(_w, np.zeros(2), name="pocket w on the XOR corners (nothing beats the zero start)")
assert_close(_b, 0.0, name="pocket b on the XOR corners")
assert_equal(_m, 2, name="pocket mistakes on the XOR corners")
### BEGIN HIDDEN TESTS
_Xi, _yi = data.load_iris()
_Xi, _yi = np.round(10 * _Xi[_yi > 0]), (_yi[_yi > 0] == 2).astype(np.int64)  # versicolor 0, virginica 1, mm
_Xi = _Xi - np.round(_Xi.mean(axis=0))  # centred, still integers: every sum is exact
_rng = np.random.default_rng(4)
_Xz = _rng.integers(-4, 5, size=(30, 2)).astype(np.float64)
_yz = (_rng.random(30) < 0.3).astype(np.int64)  # 7 of 30 positive, labels unrelated to X
_cases = (
    ("iris sepal length & width", _Xi[:, [0, 1]], _yi, 1.0, 20),
    ("iris, all four features", _Xi, _yi, 0.5, 12),  # the pocket improves in the last epoch
    ("random labels, 7 of 30 positive", _Xz, _yz, 1.0, 10),
)
for _name, _X, _y, _lr, _epochs in _cases:
    _X_copy = _X.copy()
    _ref = classic.PocketPerceptron(lr=_lr, epochs=_epochs).fit(_X, _y)
    _w, _b, _m = pocket_perceptron(_X, _y, lr=_lr, epochs=_epochs)
    assert_equal(_m, _ref.pocket_errors_, name=f"pocket mistakes on {_name} (lr={_lr}, epochs={_epochs})")
    assert_close(_w, _ref.w_, name=f"pocket w on {_name} (lr={_lr}, epochs={_epochs})")
    assert_close(_b, _ref.b_, name=f"pocket b on {_name} (lr={_lr}, epochs={_epochs})")
    assert_close(_X, _X_copy, name=f"X passed to pocket_perceptron ({_name}; must not be modified)")
### END HIDDEN TESTS

# %% [markdown]
# ### Exercise 9 (4 points): a challenge, make the perceptron slow
#
# Novikoff's theorem (section 2) says the perceptron makes at most $(R/\gamma)^2$ mistakes on separable data, and
# the experiments below find the iris flowers far below that bound. Turn the theorem around: build a small
# separable data set on which the perceptron needs **at least 20 000 mistakes** to converge. The perceptron is
# the one of Exercise 4: learning rate 1, start at $w = 0$, $b = 0$, the points visited in the order of your
# rows, epoch after epoch until an epoch without a mistake; the mistakes of all epochs are added up.
#
# - `SLOW_X`: an array of shape `(N, 2)` with $2 \le N \le 4$ points whose coordinates are **integers from
#   $-10$ to $10$** (whole numbers, stored as ints or floats);
# - `SLOW_Y`: their 0/1 labels, shape `(N,)`, both classes present;
# - `SLOW_W` (shape `(2,)`) and the float `SLOW_B`: a line that separates them, $[\,w \cdot x + b > 0\,] = y$ for
#   every point. It proves the perceptron converges at all; the tests check it in exact arithmetic.
#
# The tests run the reference perceptron `coursekit.classic.Perceptron` on your rows (whole numbers, so its
# arithmetic is exact on every machine) for up to 20 001 epochs and add up its mistakes. Measure your candidates with
# your `train_perceptron` (give it enough epochs, and find the first epoch without a mistake), and keep any
# search you write out of the answer cell: the answer cell only defines the four names. Expect to iterate: the
# first data set you think of may converge far too soon.

# %% solution id=slow_perceptron_data forbid=coursekit.classic,sklearn.linear_model.Perceptron
# Define SLOW_X (N, 2) with integer coordinates in [-10, 10], SLOW_Y (N,) of 0/1, SLOW_W (2,) and the float SLOW_B.
### BEGIN SOLUTION
# Two ways to be slow, both read off Novikoff's (R / gamma)^2 with the bias-augmented inputs (x, 1).
# A thin margin: two points of a class cannot be closer than 1 apart, but a point of the other class can sit
# much closer to the line through two of them. Here (9, 9) lies 1/20 below the line y = 9.5 - x / 20 through the
# negatives (-10, 10) and (10, 9). (A grid point's distance to the line through two others is a whole number
# divided by their distance, so in this square it cannot be smaller than 1 / (20 * sqrt(2)) unless it is 0.)
# A line far from the origin: every separator crosses the y-axis near 9.5, so b must grow to about 9.5 times
# -w[1], while a mistake moves each entry of w by up to 10 and b by only 1.
SLOW_X = np.array([[-10, 10], [10, 9], [9, 9]])
SLOW_Y = np.array([0, 0, 1])
SLOW_W = np.array([-2.0, -40.0])  # 40 * (9.475 - x / 20 - y): the line moved 1/40 below the two negatives
SLOW_B = 379.0
### END SOLUTION

# %% tests id=test_slow_perceptron_data points=4
def _separator_outputs(X, w, b):
    """[w . x + b > 0] for every row, in exact rational arithmetic (no rounding on any machine)."""
    w1, w2, b = (Fraction(float(v)) for v in (w[0], w[1], b))
    return np.array([int(w1 * Fraction(float(x1)) + w2 * Fraction(float(x2)) + b > 0) for x1, x2 in X])


_X, _y = np.asarray(SLOW_X), np.asarray(SLOW_Y)
assert_shape(_X, (None, 2), name="SLOW_X")
assert_between(len(_X), 2, 4, name="the number of points in SLOW_X")
assert_shape(_y, (None,), name="SLOW_Y")
assert_equal(len(_y), len(_X), own=True, name="the number of labels in SLOW_Y (one per row of SLOW_X)")
assert_equal(_X, np.round(_X), own=True, name="SLOW_X against SLOW_X rounded (the coordinates must be whole numbers)")
assert_between(np.abs(_X).max(), 0, 10, name="the largest |coordinate| in SLOW_X")
assert_equal(np.unique(_y), np.array([0, 1]), name="the labels present in SLOW_Y (both classes, 0 and 1 only)")
assert_shape(SLOW_W, (2,), name="SLOW_W")
assert_equal(
    _separator_outputs(_X, SLOW_W, SLOW_B),
    _y,
    own=True,
    name="[SLOW_W . x + SLOW_B > 0] on the rows of SLOW_X (the line must separate them: these must equal SLOW_Y)",
)
# At most 20 001 epochs: a run still making mistakes after them has made at least 20 001.
_run = classic.Perceptron(lr=1.0, epochs=20_001).fit(_X.astype(np.float64), _y)
slow_mistakes = sum(_run.errors_)
if _run.errors_[-1] > 0:
    print(f"your data set: the perceptron makes {slow_mistakes} mistakes in 20 001 epochs (needed: at least 20 000)")
else:
    print(f"your data set: the perceptron converges after {slow_mistakes} mistakes (needed: at least 20 000)")
assert_between(slow_mistakes, 20_000, np.inf, name="the perceptron's mistakes on SLOW_X, SLOW_Y (until it converges, at most 20 001 epochs)")

# %% [markdown]
# ### Question 1 (3 points): why one neuron cannot do XOR
#
# Prove that no single threshold unit $[w_1 x_1 + w_2 x_2 + b > 0]$ computes XOR on $\{0,1\}^2$: write the
# four conditions the truth table imposes on $w_1, w_2, b$ and show they contradict each other. Then say in
# one or two sentences what this means geometrically, and why both of the lecture's remedies escape the
# argument.

# %% [markdown] manual id=q_xor points=3
# **Model answer.** XOR needs $[b > 0] = 0$, $[w_2 + b > 0] = 1$, $[w_1 + b > 0] = 1$, $[w_1 + w_2 + b > 0] = 0$,
# i.e. (1) $b \le 0$, (2) $w_2 + b > 0$, (3) $w_1 + b > 0$, (4) $w_1 + w_2 + b \le 0$. Adding (2) and (3):
# $w_1 + w_2 + 2b > 0$, so $w_1 + w_2 + b > -b \ge 0$ by (1), contradicting (4). Geometrically, a unit's 1-region
# is a half-plane, which is convex: if it contains $(0,1)$ and $(1,0)$ it contains their midpoint
# $(\tfrac12, \tfrac12)$, which is also the midpoint of $(0,0)$ and $(1,1)$; a half-plane that excludes both
# of those excludes their midpoint too. The classes are not linearly separable. The product feature makes the
# problem linear in a 3-D feature space (the argument assumed the inputs were only $x_1, x_2$); the second layer
# feeds the output unit new inputs (OR, AND) in which the classes *are* separable, so the 1-region in the
# original plane is no longer a half-plane (it is the strip between two lines).
#
# Grading: 2 points for a correct contradiction (or an equivalent convexity argument), 1 point for the
# geometric meaning and the remedies.

# %% [markdown]
# ## Experiments: the claims ledger
#
# The lectures claim that the perceptron **converges on linearly separable data** and **never settles on
# XOR**. We measure both, plus what happens on data that are merely overlapping, and compare with ADALINE.
#
# **Separable data.** Iris setosa vs versicolor on sepal and petal length (wide gap) and on sepal length and
# width (narrow gap), each in the given order and in three shuffled orders (`seed` reshuffles every epoch).
# The wide gap takes a handful of epochs (1 to 10), the narrow one hundreds (100 to 999), and the mistakes
# stay below a quarter of the bound (in fact far below).
# Beside the observed number of mistakes we print Novikoff's bound $(R/\gamma)^2$, with $R$ the largest norm
# of a bias-augmented input $(x, 1)$ and $\gamma$ the margin of the maximum-margin line found by
# scikit-learn's `SVC` (measured in the augmented space, so the bound is valid, if not the tightest).

# %% tags=heavy
from sklearn.svm import SVC


def novikoff_bound(X, y, w_aug=None):
    """(R / gamma)^2 for the separating line w_aug = (w, b), by default the maximum-margin line of an SVC."""
    if w_aug is None:
        svm = SVC(kernel="linear", C=1e8).fit(X, y)
        w_aug = np.append(svm.coef_[0], svm.intercept_[0])
    X_aug = np.column_stack([X, np.ones(len(X))])
    gamma = np.min((2 * y - 1) * (X_aug @ w_aug)) / np.linalg.norm(w_aug)
    return (np.linalg.norm(X_aug, axis=1).max() / gamma) ** 2


converged = {}
for pair, X in (("sepal & petal length", X_sep), ("sepal length & width", X_iris[keep][:, [0, 1]])):
    runs_pair = [classic.Perceptron(lr=1.0, epochs=2000, seed=s).fit(X, y_sep) for s in (None, 0, 1, 2)]
    converged[pair] = runs_pair
    print(f"{pair}: Novikoff bound on the number of mistakes = {novikoff_bound(X, y_sep):.0f}")
    for s, p in zip(("given", 0, 1, 2), runs_pair, strict=True):
        print(
            f"    order {s!s:>5}: converged={p.errors_[p.n_iter_ - 1] == 0}  epochs={p.n_iter_:4d}"
            f"  mistakes in all={sum(p.errors_):5d}"
        )
    bound_share = max(sum(p.errors_) for p in runs_pair) / novikoff_bound(X, y_sep)
    claim(f"{pair}: most mistakes of the 4 runs / Novikoff bound", bound_share, 0, 0.25, fmt=".3f")
epochs_wide = [p.n_iter_ for p in converged["sepal & petal length"]]
epochs_narrow = [p.n_iter_ for p in converged["sepal length & width"]]
claim("wide gap: most epochs to converge (a handful)", max(epochs_wide), 1, 10, fmt=".0f")
claim("narrow gap: fewest epochs to converge (hundreds)", min(epochs_narrow), 100, 999, fmt=".0f")
_ = claim("narrow gap: most epochs to converge (hundreds)", max(epochs_narrow), 100, 999, fmt=".0f")
iris_errors = converged["sepal & petal length"][0].errors_[:50]

# %% [markdown]
# **Your slow data set** (Exercise 9) against the same bound. Any separating line gives a valid bound, so we
# compute $(R/\gamma)^2$ with yours, `SLOW_W` and `SLOW_B`, and train your `train_perceptron` on your rows for up to
# 50 000 epochs.

# %% tags=heavy
_, _, slow_errors = train_perceptron(SLOW_X, SLOW_Y, lr=1.0, epochs=50_000)
slow_bound = novikoff_bound(
    np.asarray(SLOW_X, dtype=np.float64), np.asarray(SLOW_Y), np.append(np.asarray(SLOW_W, dtype=np.float64), SLOW_B)
)
slow_clean = [k for k, e in enumerate(slow_errors) if e == 0]
print(f"Novikoff bound with your line: {slow_bound:.3g} mistakes")
if slow_clean:
    print(f"your train_perceptron: epoch {slow_clean[0] + 1} is the first without a mistake, {sum(slow_errors)} in all")
else:
    print(f"your train_perceptron: still making mistakes after 50 000 epochs ({sum(slow_errors)} so far)")
_ = claim("your slow data set: mistakes / Novikoff bound with your line", sum(slow_errors) / slow_bound, 0, 1, fmt=".2e")

# %% [markdown]
# The theorem holds (it must: any separating line gives a valid bound), and your data set, too, stays below it,
# probably far below: the bound is a worst case over every visiting order, and your line need not have the
# largest margin. What makes a data set slow are the two quantities in the bound. A **thin margin** relative to
# $R$: each mistake moves the weights by a whole input vector, so fitting a line into a thin gap takes many
# corrections that overshoot on either side. And a **line far from the origin**: the bias enters as an input that
# is always 1, so each mistake moves $b$ by 1 while it moves $w$ by up to the size of the coordinates, and a
# bias many times larger than the weights needs many mistakes to build up. The second cause is the one
# preprocessing removes: centre the inputs (subtract their mean) and the separating line passes near the origin,
# the same reason ADALINE ran faster on standardised inputs in section 3.

# %% [markdown]
# **XOR and overlapping blobs.** 50 epochs on the four XOR corners, on 200 noisy XOR points
# (`coursekit.data.make_xor`), and on two overlapping Gaussian blobs (`coursekit.data.make_blobs`, centres
# 2.8 apart, standard deviation 1: not separable). Then the same runs with the product feature $x_1x_2$ added.

# %% tags=heavy
X_blob, y_blob = data.make_blobs(50, centers=np.array([[0.0, 0.0], [2.0, 2.0]]), std=1.0, rng=0)
runs = {
    "XOR corners (N=4)": (X2, np.array([0, 1, 1, 0])),
    "noisy XOR (N=200)": (X_xor, y_xor),
    "overlapping blobs (N=100)": (X_blob, y_blob),
}
fractions = {"iris, separable (N=100)": np.array(iris_errors) / len(y_sep)}
min_mistakes = {}
for name, (X, y) in runs.items():
    p = classic.Perceptron(lr=1.0, epochs=50).fit(X, y)
    errs = np.array(p.errors_)
    fractions[name] = errs / len(y)
    min_mistakes[name] = int(errs.min())
    print(
        f"{name:>26}: epochs run={p.n_iter_}  mistakes per epoch min={errs.min()}  mean={errs.mean():.2f}"
        f"  max={errs.max()}  zero-mistake epochs={np.sum(errs == 0)}"
    )
    claim(f"{name}: fewest mistakes in any of the 50 epochs (never settles)", errs.min(), 1, np.inf, fmt=".0f")
plot.plot_curves(fractions, title="Perceptron: mistakes per epoch", ylabel="fraction of samples misclassified")
plt.show()

# %% tags=heavy
for name, (X, y) in list(runs.items())[:2]:
    Xf = np.column_stack([X, X[:, 0] * X[:, 1]])  # the product feature of section 4
    p = classic.Perceptron(lr=1.0, epochs=200).fit(Xf, y)
    print(
        f"{name:>18} + x1*x2 feature: converged={p.errors_[p.n_iter_ - 1] == 0}  epochs={p.n_iter_}"
        f"  training accuracy={np.mean(p.predict(Xf) == y):.4f}"
    )
    claim(f"{name} + x1*x2 feature: training accuracy (converges again)", np.mean(p.predict(Xf) == y), 1, 1)

# %% [markdown]
# On the XOR corners the perceptron falls into a cycle. At the end of every epoch it is back in the same
# state, and during each epoch it misclassifies all four corners in turn, each correction undoing the
# previous one: no number of epochs will help.

# %% tags=heavy
for k in range(8, 13):
    p = classic.Perceptron(lr=1.0, epochs=k).fit(X2, np.array([0, 1, 1, 0]))
    print(f"after epoch {k:2d}: w = {p.w_}, b = {p.b_:+.1f}, mistakes in that epoch = {p.errors_[-1]}")
cycle = classic.Perceptron(lr=1.0, epochs=50).fit(X2, np.array([0, 1, 1, 0])).errors_[7:]
_ = claim("XOR corners, epochs 8 to 50: fewest mistakes in an epoch (all 4, every time)", min(cycle), 4, 4, fmt=".0f")

# %% [markdown]
# **ADALINE on the overlapping blobs.** The perceptron's weights never stop moving there; ADALINE descends a
# fixed bowl. We compare how much each one's weights change over the last 10 of 200 epochs: more than 1 % for
# the perceptron, less than 0.01 % for ADALINE.

# %% tags=heavy
for name, make in (
    ("perceptron", lambda k: classic.Perceptron(lr=1.0, epochs=k)),
    ("ADALINE", lambda k: classic.Adaline(lr=1e-3, epochs=k)),
):
    early = make(190).fit(X_blob, y_blob)
    w_190 = np.append(early.w_, early.b_)
    model = make(200).fit(X_blob, y_blob)
    w_200 = np.append(model.w_, model.b_)
    change = np.linalg.norm(w_200 - w_190) / np.linalg.norm(w_200)
    acc = np.mean(model.predict(X_blob) == y_blob)
    print(f"{name:>10}: relative weight change over epochs 190-200 = {change:.2e}  training accuracy = {acc:.4f}")
    low, high = (0.01, np.inf) if name == "perceptron" else (0, 1e-4)
    claim(f"{name}: relative weight change over epochs 190-200", change, low, high, fmt=".2e")

# %% [markdown]
# **The pocket on the overlapping blobs.** Your Exercise 8 at work: **your** `pocket_perceptron` against the
# last weights of **your** `train_perceptron` (Exercise 4), which are exactly what the pocket's running weights
# end with. Both visit the examples in the order they are given, so ten runs on the blobs above see ten
# orders: the given one and nine shuffles of the rows (50 epochs each). Each run is scored on its 100 training
# points and on 1000 new points drawn from the same two Gaussians (held out).
#
# The last weights are a lottery: in the worst run they get only 70-85 % of the training points right, and
# their held-out accuracy spreads over 8 to 25 points between runs. The pocket gets at least 90 % of the
# training points in every run (by construction never fewer than the last weights of the same run), its
# held-out accuracy varies by at most 2 points, and on average it is 2 to 8 points above the last weights'.
# The pocket is no better *learner*, only a better *choice*: it picks, among the weights the perceptron
# visits anyway, the one with the fewest training mistakes, so the luckiest run's last weights do about as
# well on held-out data (within 3 points of the pocket's mean). Nor are the fewest training mistakes the same
# as the best held-out accuracy: the pocket can fit quirks of its training sample, a risk that grows with the
# number of features.

# %% tags=heavy
X_new, y_new = data.make_blobs(500, centers=np.array([[0.0, 0.0], [2.0, 2.0]]), std=1.0, rng=1)


def accuracy(w, b, X, y):
    return np.mean((X @ w + b > 0).astype(np.int64) == y)


rows = []
orders = [np.arange(len(y_blob))] + [np.random.default_rng(seed).permutation(len(y_blob)) for seed in range(9)]
for order in orders:
    X_order, y_order = X_blob[order], y_blob[order]
    w_last, b_last, _ = train_perceptron(X_order, y_order, lr=1.0, epochs=50)  # yours, Exercise 4
    w_pocket, b_pocket, _ = pocket_perceptron(X_order, y_order, lr=1.0, epochs=50)  # yours, Exercise 8
    weights = ((w_last, b_last), (w_pocket, b_pocket))
    rows.append([accuracy(w, b, X, y) for X, y in ((X_blob, y_blob), (X_new, y_new)) for w, b in weights])
acc = np.array(rows)  # columns: last train, pocket train, last held-out, pocket held-out
fig, ax = plt.subplots(figsize=(6.4, 3.2))
ax.plot(range(10), acc[:, 2], "o", label="last weights (plain perceptron)")
ax.plot(range(10), acc[:, 3], "s", label="pocket")
ax.set(
    title="Overlapping blobs: held-out accuracy of 10 runs",
    xlabel="visiting order",
    ylabel="held-out accuracy",
    xticks=range(10),
    xticklabels=["given", *map(str, range(9))],
)
ax.legend()
plt.show()
for name, k in (("last weights", 0), ("pocket", 1)):
    print(
        f"{name:>12}: training accuracy {acc[:, k].min():.2f} to {acc[:, k].max():.2f};"
        f"  held-out {acc[:, k + 2].min():.3f} to {acc[:, k + 2].max():.3f}, mean {acc[:, k + 2].mean():.4f}"
    )
claim("pocket minus last weights, training accuracy, worst run (never below)", min(acc[:, 1] - acc[:, 0]), 0, 1)
claim("last weights: training accuracy of the worst run", acc[:, 0].min(), 0.70, 0.85, fmt=".2f")
claim("pocket: training accuracy of the worst run", acc[:, 1].min(), 0.90, 1, fmt=".2f")
claim("last weights: held-out accuracy, max - min over the runs", np.ptp(acc[:, 2]), 0.08, 0.25, fmt=".3f")
claim("pocket: held-out accuracy, max - min over the runs", np.ptp(acc[:, 3]), 0, 0.02, fmt=".3f")
claim("pocket minus last weights, mean held-out accuracy", acc[:, 3].mean() - acc[:, 2].mean(), 0.02, 0.08)
_ = claim("best run's last weights minus the pocket's mean, held-out", acc[:, 2].max() - acc[:, 3].mean(), -0.03, 0.03)

# %% [markdown]
# ### Question 2 (2 points): settling on overlapping data
#
# From the experiment above: on the overlapping blobs the perceptron's weights keep changing from epoch to
# epoch, while ADALINE's settle. Explain why, using the two update rules. Name one change to the perceptron
# procedure, other than the pocket of Exercise 8, that would give a usable, stable classifier on such data.

# %% [markdown] manual id=q_settle points=2
# **Model answer.** The perceptron updates on every misclassified example and only then. On non-separable
# data every line misclassifies some example, so every epoch contains updates of a fixed size $\alpha x_j$
# that never shrink: the weights wander (or cycle) forever and the final classifier depends on where the
# last epoch stopped. ADALINE follows the gradient of a fixed convex cost $\frac12\sum_j (d_j - y_j)^2$ whose
# minimum exists whatever the data; near the minimum the gradient, hence the step $\mu\sum_j(d_j-y_j)x_j$,
# goes to zero, so the weights converge (for $\mu < 2/\lambda_{\max}$). Fixes for the perceptron: decrease
# the learning rate over time (a *constant* $\alpha$ only rescales the weights, a decaying one damps the late
# updates),
# average the weights over all steps (averaged or voted perceptron), or stop after a fixed number of epochs
# chosen on validation data. (The pocket of Exercise 8 is excluded by the question.)
#
# Grading: 1 point for the explanation (fixed-size updates that never vanish vs a gradient that vanishes at
# the minimum of a fixed cost), 1 point for a valid fix.

# %% [markdown]
# **Ledger.** The lectures' claims beside our measurements (figures from the cells above).

# %% tags=heavy
ledger = [
    (
        "perceptron converges on separable data",
        "converges",
        f"iris setosa/versicolor, all 8 runs converged: "
        f"{all(p.errors_[p.n_iter_ - 1] == 0 for r in converged.values() for p in r)}; epochs "
        + ", ".join(f"{pair} {min(p.n_iter_ for p in r)}-{max(p.n_iter_ for p in r)}" for pair, r in converged.items()),
    ),
    (
        "at most (R/gamma)^2 mistakes on separable data (Novikoff)",
        "a bound, in any order",
        f"your slow data set: {sum(slow_errors)} mistakes, bound with your line {slow_bound:.3g}",
    ),
    (
        "perceptron never settles on XOR",
        "never settles",
        f"corners: at least {min_mistakes['XOR corners (N=4)']}/4 mistakes in every one of 50 epochs; "
        f"noisy XOR: at least {min_mistakes['noisy XOR (N=200)']}/200; "
        f"blobs: at least {min_mistakes['overlapping blobs (N=100)']}/100",
    ),
    (
        "the pocket returns good weights on non-separable data",
        "good weights (Gallant 1990)",
        f"blobs, 10 orders: held-out accuracy {acc[:, 3].min():.3f}-{acc[:, 3].max():.3f} (pocket) "
        f"vs {acc[:, 2].min():.3f}-{acc[:, 2].max():.3f} (last weights)",
    ),
]
for statement, lecture, ours in ledger:
    print(f"- {statement}\n    lecture: {lecture}\n    ours:    {ours}")

# %% [markdown]
# The measurements agree with the lectures. Two details the slogans hide: "converges" says nothing about
# *how fast*: a handful of epochs when the gap is wide, hundreds when it is narrow, always well under
# Novikoff's worst-case bound, and dependent on the visiting order. And "never settles"
# holds for any non-separable data, not only XOR: on the overlapping blobs the mistakes keep fluctuating too.
# A feature ($x_1x_2$) that makes the data separable makes the perceptron converge again, and on data that
# stay overlapping the pocket turns the perceptron's last-weights lottery into a reliable answer.
#
# ## Summary
#
# - A threshold unit $[w \cdot x + b > 0]$ is a linear classifier; AND, OR, NOT are single units, XOR is not.
# - The perceptron updates only on mistakes, $w \leftarrow w + \alpha(d - y)x$; it converges on separable
#   data (Novikoff's bound) and cycles forever on non-separable data; the pocket perceptron keeps the
#   weights with the fewest training mistakes seen so far and returns good weights there too.
# - ADALINE minimises $\frac12\sum(d-y)^2$ on the linear output by gradient descent; it needs
#   $\mu < 2/\lambda_{\max}$, crawls when $\mu$ is too small, and runs much faster on standardised inputs
#   (a smaller condition number).
# - XOR needs either a non-linear feature or a hidden layer; two layers realise any Boolean function, and
#   one hidden layer of sigmoids approximates any continuous function (Cybenko).
# - Next: notebook 02 trains multi-layer networks with gradients computed by backpropagation.
#
# ## Further reading
#
# - W. S. McCulloch, W. Pitts. A logical calculus of the ideas immanent in nervous activity. *Bulletin of
#   Mathematical Biophysics* 5, 1943.
# - F. Rosenblatt. The perceptron: a probabilistic model for information storage and organization in the
#   brain. *Psychological Review* 65(6), 1958 (and the 1957 Cornell Aeronautical Laboratory report).
# - B. Widrow, M. E. Hoff. Adaptive switching circuits. *IRE WESCON Convention Record*, 1960.
# - A. B. J. Novikoff. On convergence proofs for perceptrons. *Symposium on the Mathematical Theory of
#   Automata*, 1962.
# - M. Minsky, S. Papert. *Perceptrons*. MIT Press, 1969.
# - S. I. Gallant. Perceptron-based learning algorithms. *IEEE Transactions on Neural Networks* 1(2), 1990.
# - D. E. Rumelhart, G. E. Hinton, R. J. Williams. Learning representations by back-propagating errors.
#   *Nature* 323, 1986.
# - G. Cybenko. Approximation by superpositions of a sigmoidal function. *Mathematics of Control, Signals,
#   and Systems* 2(4): 303-314, 1989.
# - V. Khrulkov, A. Novikov, I. Oseledets. Expressive power of recurrent neural networks. ICLR 2018,
#   arXiv:1711.00811.

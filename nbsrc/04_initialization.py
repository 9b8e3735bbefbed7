# %% [markdown]
# # 04 · Initialisation and data scaling: where gradient descent starts
#
# Gradient descent is a local method: where it starts, and how the input is scaled, decide whether it
# gets anywhere. This notebook looks at both ends of a network. At the **weights**: what happens when
# every weight starts at zero, at tiny random numbers, at large ones, and why the recipes of Glorot &
# Bengio (2010) and He et al. (2015) keep a deep net alive. At the **data**: zero-centring and
# standardising the inputs (with the training statistics only), and why a badly scaled input makes
# the cost surface an elongated valley that gradient descent crawls through.
#
# **Objectives.** After this notebook you can
#
# 1. explain why all-zero (or all-equal) weights never learn more than one hidden unit (symmetry);
# 2. predict what $\mathcal N(0, 0.01^2)$, $\mathcal N(0, 1)$, Xavier/Glorot and He initialisation do to the
#    activations of a 10-layer tanh or ReLU network, and measure it;
# 3. compute the fans of fully connected and convolution weights, write the Xavier and He initialisers on top of
#    them, initialise a whole network (linear and convolutional layers) with them and train it, and write a
#    per-layer activation-statistics probe;
# 4. derive the gain that makes variance 1 a fixed point of a layer for *any* activation, compute it to six
#    digits (He's $\sqrt2$ and LeCun's 1 are two cases), and tell a stable fixed point (tanh, SELU) from an
#    unstable one (GELU) by measurement;
# 5. standardise data without leaking test-set information, and explain why it speeds up gradient descent.
#
# **Prerequisites.** 02 (backprop, a 2-layer net on digits), 03 (tanh, ReLU, SELU and their derivatives).
# From `coursekit` we use `coursekit.init` (the library's initialisers, in the lecture part), `coursekit.nn` (`Linear`,
# `Tanh`, `ReLU`, `SELU`, `Sequential`, `CrossEntropyLoss`; `Conv2d`, `MaxPool2d`, `Flatten` in Exercise 4; `Sigmoid`, `ELU`, `LeakyReLU` in
# Exercise 5 and Claim 3), `coursekit.optim.SGD`, `coursekit.train.fit`,
# `coursekit.data` (`load_digits`, `train_val_test_split`, `standardize`, `load_sample_photo`) and
# `coursekit.plot` (`plot_layer_histograms`, `plot_curves`, `plot_optimizer_paths`, `plot_history`); SciPy's `erf` for GELU in Claim 3.

# %%
from coursekit.plot import setup_notebook

setup_notebook()

import numpy as np

from coursekit import data, init, nn, optim, plot
from coursekit.claims import claim
from coursekit.grading import assert_between, assert_close, assert_equal, assert_raises, assert_shape
from coursekit.train import evaluate, fit

# %% [markdown]
# We train on scikit-learn's handwritten digits (1797 images of $8\times 8$ pixels, 10 classes), split
# 60/20/20 and standardised with the training statistics (section 6 explains why exactly this way).

# %% tags=heavy
X, y = data.load_digits()
(X_tr, y_tr), (X_va, y_va), (X_te, y_te) = data.train_val_test_split(X, y, val_size=0.2, test_size=0.2, rng=0)
X_tr, X_va, X_te = data.standardize(X_tr, X_va, X_te)
print("train", X_tr.shape, "val", X_va.shape, "test", X_te.shape)

# %% [markdown]
# ## 1. Why not start at zero? Symmetry
#
# For a convex model (logistic regression, ADALINE) $W = 0$ is a perfectly good start. For a network
# with hidden units it is a trap. Take one hidden layer, $h = \tanh(x W_1 + b_1)$, $s = h W_2 + b_2$.
# If every column of $W_1$ is the same (zero is a special case), every hidden unit computes the same
# $h_j$ for every input. Backprop then hands every unit the same error, because
#
# $$\frac{\partial L}{\partial h_j} = \sum_k \frac{\partial L}{\partial s_k}\,(W_2)_{jk}$$
#
# is the same for all $j$ when the rows of $W_2$ are equal, so every column of $W_1$ receives the
# same update and stays equal to the others. Gradient descent can never tell the units apart: a layer
# of 16 units behaves like a layer of one. With exactly $W = 0$ it is worse still: $W_2 = 0$ sends
# $\partial L/\partial h = 0$ back, so $W_1$ never moves at all and only the output biases learn.
#
# Below, three copies of a 64-16-10 tanh net are trained for 5 epochs with SGD
# (`coursekit.train.fit`): all weights zero (`nn.Linear(init="zeros")`), all weights equal to 0.05,
# and small random weights. (The accuracy of one short run varies with the seed and, in its last digits,
# with the CPU; the claims printed below the table state the ranges that hold.)


# %% tags=heavy,nbval-ignore-output
def symmetric_net(mode: str, seed: int = 0) -> nn.Sequential:
    """64 -> 16 (tanh) -> 10; weights all zero, all 0.05, or N(0, 0.01^2)."""
    rng = np.random.default_rng(seed)
    kind = "zeros" if mode in ("zeros", "constant") else "normal"
    model = nn.Sequential(nn.Linear(64, 16, init=kind, rng=rng), nn.Tanh(), nn.Linear(16, 10, init=kind, rng=rng))
    if mode == "constant":
        for layer in (model[0], model[2]):
            layer.weight.data[...] = 0.05
    return model


moved, spread, acc = {}, {}, {}
for mode in ("zeros", "constant", "random"):
    model = symmetric_net(mode)
    w_before = model[0].weight.data.copy()
    opt = optim.SGD(model.parameters(), lr=0.1)
    fit(model, nn.CrossEntropyLoss(), opt, (X_tr, y_tr), epochs=5, batch_size=32, progress=False, seed=0)
    w1 = model[0].weight.data
    moved[mode] = np.abs(w1 - w_before).max()
    spread[mode] = np.abs(w1 - w1[:, :1]).max()  # how far each hidden unit's weights are from unit 0's
    _, acc[mode] = evaluate(model, nn.CrossEntropyLoss(), X_va, y_va)
    print(
        f"{mode:8s}  W1 moved by {moved[mode]:.4f}   max |W1[:, j] - W1[:, 0]| = {spread[mode]:.4f}   "
        f"val acc {acc[mode]:.4f}"
    )
claim("zeros: how far W1 moved in 5 epochs", moved["zeros"], 0, 0, fmt=".4f")
claim("zeros: validation accuracy (chance: 0.10)", acc["zeros"], 0, 0.15, fmt=".2f")
claim("constant: largest difference between two hidden units' weights", spread["constant"], 0, 1e-12, fmt=".1e")
claim("constant: validation accuracy (far below 16 units)", acc["constant"], 0.15, 0.4, fmt=".2f")
_ = claim("random: validation accuracy after 5 epochs", acc["random"], 0.8, 1.0, fmt=".2f")

# %% [markdown]
# With zeros, $W_1$ did not move and the net predicts one class for everything (about 10 % accuracy, at most
# 15 %). With a constant, $W_1$ moved but all 16 columns are still identical: the net is a one-hidden-unit
# net in disguise and stays far below what 16 units can do (15–40 %, against at least 80 % for random
# weights after the same 5 epochs). Random numbers make every unit start
# (and therefore end) different: that is the only job of randomness here, and it is why the
# lectures call random initialisation *symmetry breaking*. Biases can start at zero, since the random
# weights already make the units differ.
#
# ## 2. Small random numbers, $\mathcal N(0, 0.01^2)$, and the vanishing signal
#
# The first idea in the lectures is `W = np.random.normal(0, 0.01, (N, D))`: Gaussian weights with mean 0
# and standard deviation 0.01 (`coursekit.init.normal`, `nn.Linear(init="normal")`). (The slides are
# loose here: one writes "dispersion 0.01" next to that code, which draws standard deviation 0.01; another
# says variance 0.01, i.e. standard deviation 0.1. Whether a fixed number is "small" depends on the width of
# the layer, as the formula below shows; that dependence is exactly what Xavier and He remove.) It works well
# for small nets: a 64-64-10 ReLU net starting from it trains without fuss (at least 90 % validation
# accuracy after 10 epochs).

# %% tags=heavy,nbval-ignore-output
rng = np.random.default_rng(1)
shallow = nn.Sequential(nn.Linear(64, 64, init="normal", rng=rng), nn.ReLU(), nn.Linear(64, 10, init="normal", rng=rng))
hist = fit(
    shallow,
    nn.CrossEntropyLoss(),
    optim.SGD(shallow.parameters(), lr=0.1),
    (X_tr, y_tr),
    (X_va, y_va),
    epochs=10,
    batch_size=32,
    progress=False,
    seed=0,
)
_ = claim(
    "shallow 64-64-10 ReLU net from N(0, 0.01^2): val accuracy after 10 epochs", hist.val_acc[-1], 0.9, 1.0, fmt=".2f"
)

# %% [markdown]
# In a deep net it breaks down. A unit sums $n_{in}$ products $w_i x_i$ of independent, zero-mean
# factors, so its pre-activation variance is
#
# $$\operatorname{Var}(z) = n_{in}\,\operatorname{Var}(w)\,\operatorname{E}[x^2].$$
#
# With $n_{in} = 256$ and $\operatorname{Var}(w) = 10^{-4}$ each layer multiplies the signal's variance by
# $0.0256$, i.e. its standard deviation by $0.16$. After ten layers it is $0.16^{10} \approx 10^{-8}$ of
# what it was (tanh is linear near 0, so the formula holds: we measure between $3\cdot 10^{-9}$ and
# $3 \cdot 10^{-8}$ at layer 10, and below $10^{-3}$ from layer 4 on). (Standard deviation 0.1 would shrink the signal only in layers narrower than
# $n_{in} = 100$; here it would multiply it by 1.6 per layer instead.) We push 500 standard-normal inputs
# through 10 tanh layers of width 256 (no biases) and look at the activations of every layer.

# %% tags=heavy
WIDTH, DEPTH = 256, 10
INITS = {  # name -> function (shape, rng) -> weight; all from coursekit.init
    "N(0, 0.01²)": lambda shape, rng: init.normal(shape, std=0.01, rng=rng),
    "N(0, 1)": lambda shape, rng: init.normal(shape, std=1.0, rng=rng),
    "Xavier": lambda shape, rng: init.xavier_uniform(shape, rng=rng),
    "He": lambda shape, rng: init.he_normal(shape, rng=rng),
    "LeCun": lambda shape, rng: init.lecun_normal(shape, rng=rng),
}
ACTIVATIONS = {"tanh": nn.Tanh, "ReLU": nn.ReLU, "SELU": nn.SELU}


def deep_activations(init_name: str, act_name: str, depth: int = DEPTH, seed: int = 0) -> list[np.ndarray]:
    """Activations after each of `depth` Linear(256, 256, bias=False) + activation layers, for 500 N(0, 1) inputs."""
    rng = np.random.default_rng(seed)
    layers = []
    for _ in range(depth):
        linear = nn.Linear(WIDTH, WIDTH, bias=False, rng=rng)
        linear.weight.data = INITS[init_name]((WIDTH, WIDTH), rng)
        layers += [linear, ACTIVATIONS[act_name]()]
    h, acts = rng.standard_normal((500, WIDTH)), []
    for layer in nn.Sequential(*layers):
        h = layer(h)
        if not isinstance(layer, nn.Linear):
            acts.append(h)
    return acts


def show_stds(acts: list[np.ndarray], label: str) -> None:
    print(f"{label:18s}", " ".join(f"{a.std():8.2e}" for a in acts))


SHOWN = [0, 3, 6, 9]  # plot layers 1, 4, 7 and 10
acts = deep_activations("N(0, 0.01²)", "tanh")
print("std per layer 1..10")
show_stds(acts, "tanh, N(0, 0.01²)")
claim("tanh, N(0, 0.01²): std at layer 4 (practically zero)", acts[3].std(), 0, 1e-3, fmt=".1e")
claim("tanh, N(0, 0.01²): std at layer 10", acts[9].std(), 3e-9, 3e-8, fmt=".1e", lecture="tends to 0")
fig = plot.plot_layer_histograms(
    [acts[i] for i in SHOWN],
    "tanh, N(0, 0.01²): the activations collapse to 0",
    labels=[f"layer {i + 1}" for i in SHOWN],
)

# %% [markdown]
# By layer 4 every activation is practically zero. The backward pass suffers the same way: the
# gradient of $W_l$ is $h_{l-1}^\top \delta_l$, and both $h_{l-1}$ (forward) and $\delta_l$ (multiplied by
# the same tiny $W$'s on the way back) are tiny, so the weights barely move. The lecture's verdict:
# fine for small networks, but in a deep one the activations tend to zero.
#
# ## 3. Large random numbers, $\mathcal N(0, 1)$: saturation
#
# Going the other way, $\operatorname{Var}(w) = 1$ multiplies the pre-activation variance by 256. A
# tanh unit with $|z| \gg 1$ sits on one of its flat arms: almost every neuron saturates at $-1$ or
# $+1$, its local derivative $1 - \tanh^2(z)$ is about zero, and the gradients through it vanish (we check:
# at least 80 % of the units beyond $|h| > 0.99$, a mean local derivative below 0.1).

# %% tags=heavy
acts = deep_activations("N(0, 1)", "tanh")
show_stds(acts, "tanh, N(0, 1)")
sat = np.mean([np.mean(np.abs(a) > 0.99) for a in acts])
slope = np.mean([np.mean(1 - a**2) for a in acts])
print(f"share of units with |h| > 0.99: {sat:.4f};  mean local derivative 1 - h²: {slope:.4f} (1 at h = 0)")
claim("tanh, N(0, 1): share of saturated units, |h| > 0.99", sat, 0.8, 1.0, fmt=".2f")
claim("tanh, N(0, 1): mean local derivative 1 - h²", slope, 0, 0.1, fmt=".3f")
claim("tanh, N(0, 1): smallest std over the 10 layers (near 1)", min(a.std() for a in acts), 0.95, 1.0, fmt=".3f")
fig = plot.plot_layer_histograms(
    [acts[i] for i in SHOWN], "tanh, N(0, 1): saturated at ±1", labels=[f"layer {i + 1}" for i in SHOWN]
)

# %% [markdown]
# The standard deviation stays near 1, which looks healthy, but the histograms show two spikes at
# $\pm 1$: the net is a stack of sign functions whose gradients are almost zero.
#
# ## 4. Scale the weights to the layer: Xavier/Glorot, He, LeCun
#
# The two failures say the same thing: the right scale depends on the layer's size. Keep the
# variance of the signal constant from layer to layer. Forward, $\operatorname{Var}(z) = n_{in}
# \operatorname{Var}(w) \operatorname{Var}(x)$ asks for $\operatorname{Var}(w) = 1/n_{in}$; backward, the
# gradient is a sum over the $n_{out}$ units a weight feeds, which asks for $\operatorname{Var}(w) = 1/n_{out}$.
# **Glorot & Bengio (2010)** take the compromise
#
# $$\operatorname{Var}(w) = \frac{2}{n_{in} + n_{out}}, \qquad
#   w \sim \mathcal N\!\left(0, \tfrac{2}{n_{in}+n_{out}}\right) \quad\text{or}\quad
#   w \sim \mathcal U\!\left[-\sqrt{\tfrac{6}{n_{in}+n_{out}}},\ \sqrt{\tfrac{6}{n_{in}+n_{out}}}\right]$$
#
# (a uniform distribution on $[-a, a]$ has variance $a^2/3$, hence the 6). This is "Xavier"
# initialisation (after Xavier Glorot): `coursekit.init.xavier_normal`, `coursekit.init.xavier_uniform`
# (and `nn.Linear(init="xavier")`). It assumes units that are linear around 0, like tanh.
#
# With our `(in, out)` weight layout (`out = x @ w + b`), $n_{in}$ is the number of **rows** and
# $n_{out}$ the number of columns (`coursekit.init.fans`). PyTorch stores the transpose, `(out, in)`, so
# the same numbers are read from the other axes there.

# %% tags=heavy
acts = deep_activations("Xavier", "tanh")
show_stds(acts, "tanh, Xavier")
print(f"Xavier uniform bound for a 256 x 256 layer: {np.sqrt(6 / 512):.4f}; std {np.sqrt(2 / 512):.4f}")
claim("tanh, Xavier: std at layer 1", acts[0].std(), 0.6, 0.66, fmt=".2f")
claim("tanh, Xavier: std at layer 10", acts[9].std(), 0.2, 0.26, fmt=".2f")
fig = plot.plot_layer_histograms(
    [acts[i] for i in SHOWN], "tanh, Xavier: a usable spread in every layer", labels=[f"layer {i + 1}" for i in SHOWN]
)

# %% [markdown]
# Xavier is no perfect fixed point for tanh (tanh shrinks every value a little, so the spread still
# decays slowly, from 0.6–0.66 at layer 1 to 0.2–0.26 at layer 10 here), but after 10 layers the units are
# neither dead nor saturated.
#
# **ReLU needs twice as much.** A ReLU zeroes the negative half of its input, so it keeps only half of the
# second moment: $\operatorname{E}[\operatorname{relu}(z)^2] = \tfrac12\operatorname{Var}(z)$. With Xavier
# weights each ReLU layer therefore halves the variance (the std falls by $\sqrt2$ per layer, $2^{-5} = 1/32$
# over ten). **He et al. (2015)** make up for the lost half:
#
# $$w \sim \mathcal N\!\left(0, \frac{2}{n_{in}}\right) \qquad(\text{or } \mathcal U[\pm\sqrt{6/n_{in}}])$$
#
# (`coursekit.init.he_normal`, `coursekit.init.he_uniform`; "Kaiming" init in PyTorch, and
# `nn.Linear`'s default here).

# %% tags=heavy
relu_stds = {}
for name in ("Xavier", "He"):
    acts = deep_activations(name, "ReLU")
    relu_stds[name] = [a.std() for a in acts]
    show_stds(acts, f"ReLU, {name}")
    fig = plot.plot_layer_histograms(
        [acts[i] for i in SHOWN], f"ReLU, {name} init", labels=[f"layer {i + 1}" for i in SHOWN]
    )
per_layer = (relu_stds["Xavier"][9] / relu_stds["Xavier"][0]) ** (1 / 9)
claim("ReLU, Xavier: std kept per layer, layers 1 to 10", per_layer, 0.6, 0.8, fmt=".2f", lecture="1/sqrt(2) = 0.71")
claim("ReLU, He: smallest std over the 10 layers", min(relu_stds["He"]), 0.6, 1.0, fmt=".2f")
_ = claim("ReLU, He: largest std over the 10 layers", max(relu_stds["He"]), 0.6, 1.0, fmt=".2f")

# %% [markdown]
# With Xavier the ReLU activations shrink layer after layer (by 0.6–0.8 per layer, about $1/\sqrt2$); with He
# their spread stays around 0.8 (between 0.6 and 1 in every layer).
# (The tall bar at 0 is the half of the units that ReLU switched off; that is normal.)
#
# **LeCun for SELU.** SELU (notebook 03) is built so that mean 0 and variance 1 is a fixed point of a
# layer, but only when $\operatorname{Var}(w) = 1/n_{in}$, the initialisation LeCun et al. (1998)
# proposed: `coursekit.init.lecun_normal`. Over 30 layers:

# %% tags=heavy
selu_stds = {}
for name in ("LeCun", "He"):
    acts = deep_activations(name, "SELU", depth=30)
    selu_stds[name] = [a.std() for a in acts]
    print(
        f"SELU, {name:6s} std at layers 1 / 10 / 20 / 30: " + " / ".join(f"{acts[i].std():.4f}" for i in (0, 9, 19, 29))
    )
lecun = selu_stds["LeCun"]
claim("SELU, LeCun: std over the 30 layers, farthest from 1", max(abs(v - 1) for v in lecun), 0, 0.1, fmt=".3f")
_ = claim("SELU, He: std at layer 30", selu_stds["He"][29], 6, 14, fmt=".1f")

# %% [markdown]
# With LeCun's variance SELU holds its activations at standard deviation about 1 (within 0.1) through 30
# layers; He's doubled variance pushes them away from the fixed point (the spread grows steadily, to about 9,
# between 6 and 14, at layer 30, rather than exploding: SELU's negative side is bounded).
#
# **All of `coursekit.init` at a glance.** Each initialiser reads the fans from the weight's shape
# (`coursekit.init.fans`: for our linear layout `(in, out)`, $n_{in}$ = rows, $n_{out}$ = columns). The uniform
# and normal versions of a recipe have the same variance:

# %% tags=heavy
shape = (512, 256)  # (n_in, n_out)
print("fans of a (512, 256) weight:", init.fans(shape))
rng = np.random.default_rng(4)
recipes = {
    "normal (std 0.01)": (lambda s, rng: init.normal(s, rng=rng), 1e-4),
    "xavier_uniform": (init.xavier_uniform, 2 / 768),
    "xavier_normal": (init.xavier_normal, 2 / 768),
    "he_uniform": (init.he_uniform, 2 / 512),
    "he_normal": (init.he_normal, 2 / 512),
    "lecun_normal": (init.lecun_normal, 1 / 512),
}
worst = 0.0
for name, (draw, formula) in recipes.items():
    variance = draw(shape, rng=rng).var()
    worst = max(worst, abs(variance / formula - 1))
    print(f"{name:18s} variance {variance:.3e}   formula {formula:.3e}")
print("zeros:", np.abs(init.zeros(shape)).max())
_ = claim("largest relative gap between a recipe's measured variance and its formula", worst, 0, 0.02, fmt=".3f")

# %% [markdown]
# ## 5. The same story without non-linearities: a deep linear net
#
# One lecture makes the point with no activation at all. Take $L$ layers, no biases, linear
# activations and every hidden weight matrix equal to $W = \begin{bmatrix} p & 0 \\ 0 & p \end{bmatrix}$.
# Then
#
# $$\hat y = W^{[L]} W^{[L-1]} \cdots W^{[1]} x = W^{[L]} \begin{bmatrix} p & 0 \\ 0 & p \end{bmatrix}^{L-1} x
#   = W^{[L]}\, p^{L-1} x .$$
#
# For $p > 1$ the output (and the gradients, which contain the same product) **explodes** exponentially
# with depth; for $p < 1$ it **vanishes**. (One slide has the two cases swapped; the formula is the
# judge.) A scale of exactly 1 is the only one that survives depth, which is what the variance
# recipes above aim for.

# %% tags=heavy
x0 = np.array([1.0, 1.0])
curves = {}
for p in (0.9, 1.0, 1.1):
    W, h, norms = np.diag([p, p]), x0, []
    for _ in range(50):
        h = W @ h
        norms.append(np.linalg.norm(h))
    curves[f"p = {p}"] = norms
    print(f"p = {p}: |y| after 49 layers = {norms[48]:.4f}   (p^49 |x| = {p**49 * np.linalg.norm(x0):.4f})")
    claim(
        f"p = {p}: |y| over the formula p^49 |x|",
        norms[48] / (p**49 * np.linalg.norm(x0)),
        1 - 1e-9,
        1 + 1e-9,
        fmt=".10f",
    )
fig = plot.plot_curves(
    curves, title="Deep linear net with W = pI", xlabel="number of layers", ylabel="|output|", logy=True
)

# %% [markdown]
# ## 6. Preprocessing the inputs
#
# The first layer sees the raw data, so the data's scale acts like part of the initialisation. Raw
# features often live on wildly different scales: in the lecture's example, "has children" is 0 or 1
# while a car's value runs from 500 to 1 500 500 leva. Any distance, and any weighted sum $w^\top x$,
# is then dominated by the large feature. The standard fixes, for data $X$ of shape $N \times D$
# (one example per row):
#
# * **zero-centring**: subtract the per-feature mean, $x_i \leftarrow x_i - m_i$;
# * **standardising**: also divide by the per-feature standard deviation,
#   $x_i \leftarrow (x_i - m_i)/\sigma_i$, so every feature has mean 0 and variance 1 and contributes in
#   proportion to its information, not its units.
#
# `coursekit.data.standardize(train, *others)` does the second. Note what it does **not** do: it never
# looks at the validation or test set to compute $m_i, \sigma_i$. The statistics are part of the model,
# learned from the training data, then applied unchanged to new data. Computing them on the test set (or
# on everything before splitting) lets information about the test set leak into training and makes the
# test score optimistic; worse, at deployment one example at a time there is no "test mean" to compute.

# %% tags=heavy
rng = np.random.default_rng(2)
people = np.column_stack([rng.integers(0, 2, 5), rng.uniform(500, 1_500_500, 5)])  # has children, car value
d_raw = np.linalg.norm(people[0] - people[1])
z = (people - people.mean(axis=0)) / people.std(axis=0)
print(
    f"distance between person 0 and 1, raw: {d_raw:.1f} (car value difference {abs(people[0, 1] - people[1, 1]):.1f})"
)
print(
    f"after standardising: {np.linalg.norm(z[0] - z[1]):.4f}, per feature |diff| = "
    + ", ".join(f"{v:.4f}" for v in np.abs(z[0] - z[1]))
)
print(
    f"digits, train set after standardize: |mean| {abs(X_tr.mean()):.4f}, std of the non-constant features "
    f"{X_tr[:, X_tr.std(axis=0) > 0].std(axis=0).mean():.4f}"
)
print(f"validation set, standardised with train statistics: |mean| {abs(X_va.mean()):.4f} (close to 0, not exactly)")

# %% [markdown]
# Some digit pixels (the corners) are 0 in every training image: their standard deviation is 0, and a
# naive $x/\sigma$ divides by zero. `coursekit.data.standardize` divides such features by 1 instead.
#
# **Images.** Pixels already share one scale (0-255), so for images it is usually enough to centre them,
# and dividing by the standard deviation is not mandatory. Two conventions: **AlexNet** subtracted the
# *mean image* of its ImageNet training set (a $256\times256\times3$ array, one mean per pixel and channel; for
# CIFAR-10's $32 \times 32 \times 3$ images the same recipe gives a $32\times32\times3$ array), **VGGNet** the
# *per-channel mean* (3 numbers, one per colour channel).

# %% tags=heavy
digit_mean_image = X.mean(axis=0).reshape(8, 8)  # "mean image" of the raw digits: one mean per pixel
photo = data.load_sample_photo("china")  # (427, 640, 3) in [0, 1]
channel_mean = photo.mean(axis=(0, 1))  # VGG-style: one number per channel
print(
    f"digits mean image: shape {digit_mean_image.shape}, centre pixel {digit_mean_image[3, 3]:.4f}, "
    f"corner {digit_mean_image[0, 0]:.4f}"
)
print("photo per-channel mean (R, G, B):", ", ".join(f"{m:.4f}" for m in channel_mean))
centred = photo - channel_mean
print("after subtracting it, |mean| per channel:", ", ".join(f"{abs(m):.4f}" for m in centred.mean(axis=(0, 1))))

# %% [markdown]
# ### Why scaling speeds up gradient descent: the shape of the cost
#
# For a linear model with squared error, $J(w) = \frac1N\lVert Xw - y\rVert^2$, the contours of $J$ are
# ellipses whose axes are set by the eigenvalues of the Hessian $H = \frac2N X^\top X$. A feature with a
# large scale gives a steep direction, a small-scale feature a flat one. Gradient descent must pick a
# learning rate below $2/\lambda_{\max}$ to avoid diverging in the steep direction, and then moves by
# only $\eta\lambda_{\min}$ per step in the flat one. It zig-zags across the valley and crawls along it;
# the number of steps grows with the condition number $\kappa = \lambda_{\max}/\lambda_{\min}$. After
# standardising, the contours are nearly circles and the gradient points at the minimum.
#
# Below: "has children" (0/1) and a car value in thousands (0.5 to 20), a linear model without
# bias fitted by full-batch gradient descent at the best fixed learning rate for a quadratic,
# $\eta = 2/(\lambda_{\max} + \lambda_{\min})$ (each step shrinks the error by at most $(\kappa-1)/(\kappa+1)$),
# until the loss is within $10^{-6}$ of its minimum, before and after standardising (features and a centred target).

# %% tags=heavy
rng = np.random.default_rng(3)
n = 200
X2 = np.column_stack([rng.integers(0, 2, n), rng.uniform(0.5, 20.0, n)]).astype(float)
y2 = X2 @ np.array([2.0, 0.3]) + 0.1 * rng.standard_normal(n)


def gd_path(Xd, yd, max_steps=20_000, tol=1e-6):
    """Full-batch GD on J(w) = mean((Xw - y)^2) from w = 0 at the best fixed lr 2/(lambda_max + lambda_min)."""
    H = 2 * Xd.T @ Xd / len(yd)
    eig = np.linalg.eigvalsh(H)
    w_star = np.linalg.lstsq(Xd, yd, rcond=None)[0]
    j_star = np.mean((Xd @ w_star - yd) ** 2)
    w, path = np.zeros(2), [np.zeros(2)]
    while len(path) <= max_steps and np.mean((Xd @ w - yd) ** 2) - j_star > tol:
        w = w - 2 / (eig.max() + eig.min()) * 2 * Xd.T @ (Xd @ w - yd) / len(yd)
        path.append(w)
    return np.array(path), eig.max() / eig.min(), w_star


def cost(Xd, yd):
    """J(w1, w2) = w^T A w - 2 c^T w + mean(y^2) with A = X^T X / N, c = X^T y / N, on a grid (contour plot)."""
    A, c, y2m = Xd.T @ Xd / len(yd), Xd.T @ yd / len(yd), np.mean(yd**2)
    return lambda a, b: A[0, 0] * a**2 + 2 * A[0, 1] * a * b + A[1, 1] * b**2 - 2 * (c[0] * a + c[1] * b) + y2m


(X2s,) = data.standardize(X2)
y2s = y2 - y2.mean()
steps, covered = {}, {}
for label, Xd, yd in (("raw", X2, y2), ("standardised", X2s, y2s)):
    path, kappa, w_star = gd_path(Xd, yd)
    steps[label] = len(path) - 1
    covered[label] = 1 - np.linalg.norm(path[min(50, steps[label])] - w_star) / np.linalg.norm(w_star)
    print(f"{label:13s} condition number {kappa:8.1f}   GD steps to within 1e-6 of the minimum: {len(path) - 1}")
    xlim, ylim = [(min(0.0, w) - 0.6, max(0.0, w) + 0.6) for w in w_star]  # the start (0, 0) and the minimum
    fig = plot.plot_optimizer_paths(
        cost(Xd, yd),
        {"gradient descent (first 50 steps)": path[:51]},
        xlim,
        ylim,
        title=f"{label} features: {len(path) - 1} steps",
        minimum=tuple(w_star),
    )
lecture = np.column_stack([rng.integers(0, 2, n), rng.uniform(500, 1_500_500, n)])  # children, car value in leva
eig = np.linalg.eigvalsh(lecture.T @ lecture)
print(f"the lecture's example (car value in leva): condition number {eig.max() / eig.min():.1e}")
claim("raw features: share of the way to the minimum covered after 50 steps", covered["raw"], 0.1, 0.3, fmt=".2f")
claim("raw features: GD steps to within 1e-6 of the minimum", steps["raw"], 1500, 3000, fmt=".0f")
claim("standardised features: GD steps", steps["standardised"], 1, 6, fmt=".0f")
_ = claim("condition number of the lecture's example", eig.max() / eig.min(), 1e11, 1e13, fmt=".0e")

# %% [markdown]
# Raw features: a long, thin, tilted valley (the 0/1 feature and the car value are both positive, so they
# are also correlated through their means; centring removes that part). Even at its best learning rate,
# gradient descent bounces from one wall of the valley to the other and creeps along it: after the 50 steps
# drawn it has covered only about a fifth of the way (10–30 %), and it needs about 2000 steps in all
# (1500–3000). Standardised: near-circular contours, at most 6 steps (3 here). For the lecture's own example (car values up to 1.5 million leva) the
# condition number is about $10^{12}$ (between $10^{11}$ and $10^{13}$). The same geometry slows a neural net whose first layer sees unscaled
# inputs, which is why every training run in this course starts with `data.standardize`.

# %% [markdown]
# ## Exercises
#
# ### Exercise 1 (3 + 2 + 2 points). Fans of any weight, then Xavier and He on top of them
#
# Xavier and He read two numbers from a weight: its **fans**. $n_{in}$ (fan-in) is how many inputs each output
# value is a weighted sum of, $n_{out}$ (fan-out) is how many output values each input value feeds. Work them out
# for the two layouts of this course:
#
# * a fully connected weight in **our** layout `(n_in, n_out)` (`out = x @ w + b`);
# * a convolution weight `(F, C, kh, kw)`: `F` filters, each of `C` channels of `kh x kw` taps (notebook 07 slides
#   it over a `(N, C, H, W)` image; `(F, C, k)` for a 1-D convolution, and any number of kernel axes in general).
#   Ask yourself how many input values one output value of filter `f` at one position sees, and how many output
#   values one input value at one position contributes to (ignore the image border and assume stride 1).
#
# **(a)** Write `fans(shape) -> (fan_in, fan_out)`, two Python `int`s, for a `shape` tuple of 2 dimensions (linear,
# our layout) or 3 or more (convolution, `(F, C, *kernel)`). A shape with fewer than 2 dimensions raises
# `ValueError`. The hidden tests compare your convolution fans with PyTorch's (`torch.nn.init` computes the same
# numbers for its conv weights, whose layout is ours; its linear weights are stored transposed, `(out, in)`), for
# 1-D, 2-D and 3-D kernels, non-square kernels and `F != C`, and check the `ValueError` for shapes `(5,)` and `()`.
#
# **(b)** `xavier_uniform(shape, rng)`: every entry from $\mathcal U[-a, a]$ with $a = \sqrt{6/(n_{in}+n_{out})}$.
#
# **(c)** `he_normal(shape, rng)`: every entry from $\mathcal N(0, 2/n_{in})$ (variance $2/n_{in}$; numpy's
# `rng.normal` takes the **standard deviation**).
#
# Both return a float64 array of the given `shape`, linear or convolutional, with the fans from **your**
# `fans(shape)`. Draw the random numbers **only** from the `rng` argument (a `numpy.random.Generator`), never from
# `np.random.*` directly, so that the same seed gives the same weights; two calls with one `rng` give different
# weights. The hidden tests check the variance (within 3 %), the bound, the mean, the shape and the dtype of large
# draws, linear and convolutional. Use NumPy and the `rng` only: `coursekit.init`'s initialisers and `fans`,
# `nn.Linear(init=...)` and `torch.nn.init` do this exercise's work and are off limits in your answer (calling one
# raises an error that names it, and at grading it scores the exercise 0).


# %% solution id=fans forbid=coursekit.init.fans,coursekit.init.xavier_uniform,coursekit.init.he_normal,torch.nn.init
def fans(shape):
    """(fan_in, fan_out), two ints, of a weight of `shape`: linear (n_in, n_out) or convolution (F, C, *kernel)."""
    ### BEGIN SOLUTION
    shape = tuple(shape)
    if len(shape) < 2:
        raise ValueError(f"fans: a weight needs at least 2 dimensions, got shape {shape}")
    if len(shape) == 2:
        return int(shape[0]), int(shape[1])
    taps = int(np.prod(shape[2:]))  # each output value sees C * taps inputs; each input feeds F * taps outputs
    return int(shape[1]) * taps, int(shape[0]) * taps
    ### END SOLUTION


# %% tests id=test_fans points=3
assert_equal(fans((30, 20)), (30, 20), name="fans((30, 20)) of a linear (n_in, n_out) weight")
f_in, f_out = fans((16, 3, 5, 5))
assert isinstance(f_in, int) and isinstance(f_out, int), f"fans must return two ints, got {type(f_in), type(f_out)}"
assert_equal(f_in, 75, name="fan_in of a conv weight (16, 3, 5, 5) (16 filters of 3 channels x 5 x 5)")
assert_raises(ValueError, fans, (7,), name="fans((7,)) (a weight has at least 2 dimensions)")
### BEGIN HIDDEN TESTS
import torch

for conv_shape in ((16, 3, 5, 5), (8, 12, 3, 1), (4, 6, 7), (2, 3, 2, 3, 4), (32, 1, 1, 1), (5, 5, 2, 3)):
    expected = torch.nn.init._calculate_fan_in_and_fan_out(torch.empty(conv_shape))
    assert_equal(fans(conv_shape), tuple(expected), name=f"fans({conv_shape}) (torch gives {tuple(expected)})")
for n_in, n_out in ((400, 300), (1, 9), (64, 64)):
    torch_in, torch_out = torch.nn.init._calculate_fan_in_and_fan_out(torch.empty(n_out, n_in))  # torch: (out, in)
    assert_equal(
        fans((n_in, n_out)), (torch_in, torch_out), name=f"fans(({n_in}, {n_out})) of our (n_in, n_out) layout"
    )
assert_equal(fans([6, 4, 3, 3]), (36, 54), name="fans of a shape given as a list [6, 4, 3, 3]")
assert all(type(v) is int for v in fans(np.zeros((6, 4, 3, 3)).shape)), "fans must return Python ints"
for bad in ((5,), ()):
    assert_raises(ValueError, fans, bad, name=f"fans({bad})")
### END HIDDEN TESTS


# %% solution id=xavier_uniform forbid=coursekit.init.xavier_uniform,coursekit.init.xavier_normal,coursekit.init.fans,coursekit.nn.Linear,torch.nn.init
def xavier_uniform(shape, rng):
    """Glorot/Xavier uniform weights of `shape`: U[-a, a], a = sqrt(6 / (fan_in + fan_out)) with your fans."""
    ### BEGIN SOLUTION
    fan_in, fan_out = fans(shape)
    a = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-a, a, size=tuple(shape))
    ### END SOLUTION


# %% tests id=test_xavier_uniform points=2
w = xavier_uniform((30, 20), np.random.default_rng(0))
assert_shape(w, (30, 20), name="xavier_uniform((30, 20), rng)")
bound = np.sqrt(6 / 50)
assert_between(np.abs(w).max(), 0.0, bound, name="xavier_uniform((30, 20)): largest |w|")
w = xavier_uniform((8, 3, 5, 5), np.random.default_rng(1))
assert_shape(w, (8, 3, 5, 5), name="xavier_uniform((8, 3, 5, 5), rng), a conv weight")
assert_between(np.abs(w).max(), 0.0, np.sqrt(6 / (75 + 200)), name="xavier_uniform((8, 3, 5, 5)): largest |w|")
assert_close(
    xavier_uniform((30, 20), np.random.default_rng(7)),
    xavier_uniform((30, 20), np.random.default_rng(7)),
    name="xavier_uniform with the same seed twice (draw from rng, not np.random)", own=True
)
### BEGIN HIDDEN TESTS
for big, (f_in, f_out) in (((600, 200), (600, 200)), ((64, 32, 5, 5), (800, 1600)), ((50, 40, 9), (360, 450))):
    w = xavier_uniform(big, np.random.default_rng(1))
    assert_shape(w, big, name=f"xavier_uniform({big}, rng)")
    a = np.sqrt(6 / (f_in + f_out))
    assert_close(w.var(), 2 / (f_in + f_out), rtol=0.03, atol=0.0, name=f"variance of xavier_uniform({big})")
    assert_close(np.abs(w).max(), a, rtol=0.01, atol=0.0, name=f"largest |w| of xavier_uniform({big})")
    assert_between(abs(w.mean()), 0.0, 0.02 * a, name=f"xavier_uniform({big}): |mean| (should be about 0)")
    assert_between(np.mean(w < 0), 0.49, 0.51, name=f"xavier_uniform({big}): share of negative weights")
    assert np.asarray(w).dtype == np.float64, "xavier_uniform must return float64"
rng_shared = np.random.default_rng(3)
w1, w2 = xavier_uniform((40, 10), rng_shared), xavier_uniform((40, 10), rng_shared)
assert_between(np.abs(w1 - w2).max(), 1e-12, np.inf, name="xavier_uniform: difference of two calls with one rng")
w3 = xavier_uniform((40, 10), np.random.default_rng(4))
assert_between(np.abs(w1 - w3).max(), 1e-12, np.inf, name="xavier_uniform: difference of two seeds' weights")
### END HIDDEN TESTS


# %% solution id=he_normal forbid=coursekit.init.he_normal,coursekit.init.he_uniform,coursekit.init.normal,coursekit.init.fans,coursekit.nn.Linear,torch.nn.init
def he_normal(shape, rng):
    """He/Kaiming normal weights of `shape`: N(0, 2 / fan_in) with your fans."""
    ### BEGIN SOLUTION
    fan_in, _ = fans(shape)
    return rng.normal(0.0, np.sqrt(2.0 / fan_in), size=tuple(shape))
    ### END SOLUTION


# %% tests id=test_he_normal points=2
w = he_normal((50, 20), np.random.default_rng(0))
assert_shape(w, (50, 20), name="he_normal((50, 20), rng)")
assert_close(
    he_normal((50, 20), np.random.default_rng(7)),
    he_normal((50, 20), np.random.default_rng(7)),
    name="he_normal with the same seed twice (draw from rng, not np.random)", own=True
)
w = he_normal((1000, 100), np.random.default_rng(1))
assert_close(w.std(), np.sqrt(2 / 1000), rtol=0.05, atol=0.0, name="std of he_normal((1000, 100))")
w = he_normal((16, 10, 3, 3), np.random.default_rng(2))
assert_shape(w, (16, 10, 3, 3), name="he_normal((16, 10, 3, 3), rng), a conv weight")
### BEGIN HIDDEN TESTS
for big, f_in in (((400, 300), 400), ((64, 32, 3, 3), 288), ((40, 30, 7), 210), ((100, 20, 1, 5), 100)):
    w = he_normal(big, np.random.default_rng(2))
    assert_shape(w, big, name=f"he_normal({big}, rng)")
    assert_close(w.var(), 2 / f_in, rtol=0.03, atol=0.0, name=f"variance of he_normal({big})")
    sd = np.sqrt(2 / f_in)
    assert_between(abs(w.mean()), 0.0, 0.02 * sd, name=f"he_normal({big}): |mean| (should be about 0)")
    tail = np.mean(np.abs(w) > 2 * sd)  # 4.6 % for a Gaussian, 0 for a uniform of the same variance
    assert_between(tail, 0.03, 0.06, name=f"he_normal({big}): share beyond 2 std (a Gaussian has about 0.0455)")
    assert np.asarray(w).dtype == np.float64, "he_normal must return float64"
rng_shared = np.random.default_rng(3)
w1, w2 = he_normal((40, 10), rng_shared), he_normal((40, 10), rng_shared)
assert_between(np.abs(w1 - w2).max(), 1e-12, np.inf, name="he_normal: difference of two calls with one rng")
w3 = he_normal((40, 10), np.random.default_rng(4))
assert_between(np.abs(w1 - w3).max(), 1e-12, np.inf, name="he_normal: difference of two seeds' weights")
### END HIDDEN TESTS

# %% [markdown]
# ### Exercise 2 (3 points). Per-layer activation statistics
#
# Write the probe behind sections 2-4: `layer_statistics(x, weights, activation)` pushes a batch through
# a stack of bias-free layers,
#
# $$h_0 = x, \qquad h_l = \text{activation}(h_{l-1} W_l), \quad l = 1, \dots, L,$$
#
# and returns two float64 arrays of shape `(L,)`: the mean and the standard deviation (`np.std`,
# `ddof=0`) of **all** entries of each $h_l$ (after the activation; the input $h_0$ is not included).
#
# * `x`: `(N, D_0)`; `weights`: a list of `L` arrays, `weights[l-1]` of shape `(D_{l-1}, D_l)` (our layout);
# * `activation`: a function applied elementwise, e.g. `np.tanh` or `lambda z: np.maximum(z, 0)`.
#
# Do not modify `x` or the weights. Write the loop yourself with NumPy: this notebook's helpers
# `deep_activations` and `show_stds` are off limits in your answer.


# %% solution id=layer_statistics forbid=deep_activations,show_stds
def layer_statistics(x, weights, activation):
    """Mean and std of every layer's activations h_l = activation(h_{l-1} @ W_l); two (L,) arrays."""
    ### BEGIN SOLUTION
    means, stds = [], []
    h = x
    for w in weights:
        h = activation(h @ w)
        means.append(h.mean())
        stds.append(h.std())
    return np.array(means), np.array(stds)
    ### END SOLUTION


# %% tests id=test_layer_statistics points=3
rng = np.random.default_rng(0)
x_small = rng.standard_normal((6, 3))
identity = lambda z: z
means, stds = layer_statistics(x_small, [2 * np.eye(3), 2 * np.eye(3)], identity)
assert_shape(means, (2,), name="means (one per layer, input excluded)")
assert_shape(stds, (2,), name="stds (one per layer, input excluded)")
assert_close(means, [2 * x_small.mean(), 4 * x_small.mean()], name="means with W = 2I, identity activation")
assert_close(stds, [2 * x_small.std(), 4 * x_small.std()], name="stds with W = 2I, identity activation")
means, stds = layer_statistics(np.array([[1.0, -2.0]]), [np.array([[1.0], [1.0]])], lambda z: np.maximum(z, 0))
assert_close(means, [0.0], name="means after ReLU of x @ W = [[-1]]")
### BEGIN HIDDEN TESTS
rng = np.random.default_rng(1)
x_h = rng.standard_normal((20, 5))
ws = [rng.standard_normal((5, 7)), rng.standard_normal((7, 4)) / 3, rng.standard_normal((4, 3))]
x_copy, ws_copy = x_h.copy(), [w.copy() for w in ws]
for act in (np.tanh, lambda z: np.maximum(z, 0)):
    h, expected_m, expected_s = x_h, [], []
    for w in ws:
        h = act(h @ w)
        expected_m.append(h.mean())
        expected_s.append(h.std())
    means, stds = layer_statistics(x_h, ws, act)
    assert_shape(means, (3,), name="means of a 3-layer net (5 -> 7 -> 4 -> 3)")
    assert_close(means, expected_m, rtol=1e-10, atol=1e-12, name="per-layer means (5 -> 7 -> 4 -> 3)")
    assert_close(stds, expected_s, rtol=1e-10, atol=1e-12, name="per-layer stds (5 -> 7 -> 4 -> 3)")
assert_close(x_h, x_copy, name="x after layer_statistics (must not be modified)")
for w, w0 in zip(ws, ws_copy, strict=True):
    assert_close(w, w0, name="weights after layer_statistics (must not be modified)")
### END HIDDEN TESTS

# %% [markdown]
# ### Exercise 3 (3 points). A leak-free standardiser
#
# Write `standardize_splits(X_train, *others)`, which standardises every feature (column) with the
# statistics of `X_train` **only** and applies the same transformation to each array in `others`
# (validation, test, ...):
#
# $$z = \frac{x - m}{s}, \qquad m = \text{mean of } X_{train} \text{ over axis 0}, \quad
#   s = \text{std of } X_{train} \text{ over axis 0 (ddof = 0)},$$
#
# where a feature that is constant in `X_train` ($s = 0$) is divided by **1** instead (so it becomes 0
# in the training set, and $x - m$ elsewhere). Return a **tuple** `(Z_train, Z_other_1, ...)` of float64
# arrays in the input order (a 1-tuple when there are no others). Do not modify the inputs.
# Use NumPy: `coursekit.data.standardize`, scikit-learn's `preprocessing` (`StandardScaler`) and
# `scipy.stats.zscore` do this exercise's work and are off limits in your answer.


# %% solution id=standardize_splits forbid=coursekit.data.standardize,sklearn.preprocessing,scipy.stats.zscore
def standardize_splits(X_train, *others):
    """Standardise X_train and every array in others with X_train's per-feature mean and std."""
    ### BEGIN SOLUTION
    X_train = np.asarray(X_train, dtype=np.float64)
    mean = X_train.mean(axis=0)
    std = X_train.std(axis=0)
    std = np.where(std == 0, 1.0, std)
    return tuple((np.asarray(x, dtype=np.float64) - mean) / std for x in (X_train, *others))
    ### END SOLUTION


# %% tests id=test_standardize_splits points=3
A = np.array([[1.0, 10.0], [3.0, 30.0], [5.0, 20.0]])
B = np.array([[7.0, 40.0], [3.0, 20.0]])
out = standardize_splits(A, B)
assert isinstance(out, tuple) and len(out) == 2, "standardize_splits(A, B) must return a tuple (Z_A, Z_B)"
Z_A, Z_B = out
assert_close(Z_A.mean(axis=0), [0.0, 0.0], atol=1e-12, name="per-feature mean of the standardised train set")
assert_close(Z_A.std(axis=0), [1.0, 1.0], name="per-feature std of the standardised train set")
s = np.sqrt(8 / 3)
assert_close(
    Z_B, [[4 / s, 20 / (np.sqrt(200 / 3))], [0.0, 0.0]], name="test set standardised with the TRAIN mean and std"
)
### BEGIN HIDDEN TESTS
rng = np.random.default_rng(0)
Xa = rng.normal(5.0, [1.0, 10.0, 0.1, 3.0, 2.0], size=(8, 5))
Xa[:, 2] = 4.0  # a feature that is constant in the training set
Xb, Xc = rng.normal(0.0, 4.0, size=(3, 5)), rng.normal(-2.0, 1.0, size=(1, 5))
copies = [Xa.copy(), Xb.copy(), Xc.copy()]
m, sd = Xa.mean(axis=0), Xa.std(axis=0)
sd[2] = 1.0
out = standardize_splits(Xa, Xb, Xc)
assert isinstance(out, tuple) and len(out) == 3, "standardize_splits(A, B, C) must return a 3-tuple"
for name, got, arr in zip(("train", "val", "test"), out, (Xa, Xb, Xc), strict=True):
    assert_shape(got, arr.shape, name=f"standardised {name} set")
    assert_close(
        got,
        (arr - m) / sd,
        rtol=1e-10,
        atol=1e-12,
        name=f"standardised {name} set (train statistics, per column, constant column divided by 1)",
    )
for got, original in zip((Xa, Xb, Xc), copies, strict=True):
    assert_close(got, original, name="inputs after standardize_splits (must not be modified)")
single = standardize_splits(Xa)
assert isinstance(single, tuple) and len(single) == 1, "standardize_splits(X) must return a 1-tuple"
assert_close(single[0], (Xa - m) / sd, rtol=1e-10, atol=1e-12, name="standardize_splits(X)[0]")
### END HIDDEN TESTS

# %% [markdown]
# ### Exercise 4 (5 points). Initialise a whole network with your initialisers
#
# Build the tool that the last experiment of this notebook uses. Write `initialise_(model, scheme, rng)`,
# which re-initialises **in place** every `nn.Linear` **and every `nn.Conv2d`** layer of a
# `coursekit.nn.Sequential` `model` (iterate over it with `for layer in model`; other layers, such as `nn.ReLU`,
# `nn.MaxPool2d` or `nn.Flatten`, have no parameters):
#
# * its weight `layer.weight.data` (shape `(n_in, n_out)` for `Linear`, `(F, C, kh, kw)` for `Conv2d`) becomes a
#   new array of the same shape drawn with **your** `he_normal(shape, rng)` when `scheme == "he"`, or **your**
#   `xavier_uniform(shape, rng)` when `scheme == "xavier"`, from the one `rng` passed in, layer by layer, input
#   side first (so the same seed gives the same network);
# * its bias `layer.bias.data` becomes zeros of its shape (a layer built with `bias=False` has
#   `layer.bias is None`: leave it so).
#
# Any other `scheme` raises `ValueError` with a message that names it. Return the model. Use your two
# functions from Exercise 1 (`isinstance(layer, (nn.Linear, nn.Conv2d))` tells you which layers to initialise);
# `coursekit.init` and `torch.nn.init` are off limits here, and so is building new layers with
# `nn.Linear(init=...)` or `nn.Conv2d(init=...)` to borrow their weights. The hidden tests check every weight
# against your own `he_normal` / `xavier_uniform` drawn in that order from the same seed, on a network that mixes
# convolutions, pooling and linear layers, with and without biases.
# The experiment "Claim 2" below trains the 10-layer ReLU net with the weights your function draws.


# %% solution id=initialise forbid=coursekit.init,torch.nn.init
def initialise_(model, scheme, rng):
    """Re-initialise every nn.Linear and nn.Conv2d of `model` in place (see the text); return `model`."""
    ### BEGIN SOLUTION
    draws = {"he": he_normal, "xavier": xavier_uniform}
    if scheme not in draws:
        raise ValueError(f"initialise_: scheme must be 'he' or 'xavier', got {scheme!r}")
    for layer in model:
        if isinstance(layer, (nn.Linear, nn.Conv2d)):
            layer.weight.data = draws[scheme](layer.weight.data.shape, rng)
            if layer.bias is not None:
                layer.bias.data = np.zeros_like(layer.bias.data)
    return model
    ### END SOLUTION


# %% tests id=test_initialise points=5
def _net(rng):
    """400 -> 300 (ReLU) -> 200 (no bias) -> 10, built with nonzero biases to see them reset."""
    net = nn.Sequential(
        nn.Linear(400, 300, init="normal", rng=rng),
        nn.ReLU(),
        nn.Linear(300, 200, bias=False, init="normal", rng=rng),
        nn.ReLU(),
        nn.Linear(200, 10, init="torch", rng=rng),
    )
    net[0].bias.data[...] = 1.0
    return net


net = _net(np.random.default_rng(0))
out = initialise_(net, "he", np.random.default_rng(1))
assert out is net, "initialise_ must return the model it was given (initialised in place)"
linears = [net[0], net[2], net[4]]
for layer, (n_in, n_out) in zip(linears, [(400, 300), (300, 200), (200, 10)], strict=True):
    assert_shape(layer.weight.data, (n_in, n_out), name=f"weight of Linear({n_in}, {n_out}) after initialise_")
assert_close(net[0].weight.data.std(), np.sqrt(2 / 400), rtol=0.05, atol=0.0, name="std of the first weight, 'he'")
assert_close(net[2].weight.data.std(), np.sqrt(2 / 300), rtol=0.05, atol=0.0, name="std of the second weight, 'he'")
assert_close(net[0].bias.data, np.zeros(300), name="bias of the first layer after initialise_ (zeros)")
assert net[2].bias is None, "initialise_ must leave a layer without bias (bias=False) without one"
initialise_(net, "xavier", np.random.default_rng(2))
bound = np.sqrt(6 / 700)
assert_between(float(np.abs(net[0].weight.data).max()), 0.0, bound, name="initialise_(..., 'xavier'): largest |w|")
assert_close(net[0].weight.data.var(), 2 / 700, rtol=0.05, atol=0.0, name="variance of the first weight, 'xavier'")
assert_raises(
    ValueError,
    initialise_,
    net,
    "lecun",
    np.random.default_rng(3),
    mentions=("lecun",),
    name="initialise_(model, 'lecun', rng) (only 'he' and 'xavier' are known)",
)
cnn = nn.Sequential(
    nn.Conv2d(1, 16, 3, padding=1, init="normal", rng=np.random.default_rng(0)),
    nn.ReLU(),
    nn.MaxPool2d(2),
    nn.Flatten(),
    nn.Linear(16 * 16, 10, init="normal", rng=np.random.default_rng(0)),
)
initialise_(cnn, "he", np.random.default_rng(1))
assert_shape(cnn[0].weight.data, (16, 1, 3, 3), name="weight of Conv2d(1, 16, 3) after initialise_")
assert_close(
    cnn[0].weight.data.std(),
    np.sqrt(2 / 9),
    rtol=0.25,
    atol=0.0,
    name="std of the Conv2d(1, 16, 3) weight, 'he' (fan_in = 1 * 3 * 3)",
)


### BEGIN HIDDEN TESTS
def _cnn(rng, bias=True):
    """Conv 3 -> 8 (5x3) -> ReLU -> pool -> Conv 8 -> 12 (3x3) -> Flatten -> Linear, nonzero biases."""
    net = nn.Sequential(
        nn.Conv2d(3, 8, (5, 3), padding=1, init="normal", rng=rng),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(8, 12, 3, bias=bias, init="torch", rng=rng),
        nn.Flatten(),
        nn.Linear(48, 10, init="torch", rng=rng),
    )
    net[0].bias.data[...] = 0.5
    return net


for scheme, draw in (("he", he_normal), ("xavier", xavier_uniform)):
    for bias in (True, False):
        net = _cnn(np.random.default_rng(9), bias)
        initialise_(net, scheme, np.random.default_rng(10))
        rng_expected = np.random.default_rng(10)
        for layer in (net[0], net[3], net[5]):
            assert_close(
                layer.weight.data,
                draw(layer.weight.data.shape, rng_expected),
                rtol=1e-12,
                atol=0.0,
                name=f"{type(layer).__name__} weight {layer.weight.data.shape} after initialise_(cnn, "
                f"{scheme!r}, rng): your {draw.__name__}, layer by layer, from rng", own=True
            )
        assert_close(net[0].bias.data, np.zeros(8), name=f"Conv2d bias after initialise_ ({scheme!r})")
        assert (net[3].bias is None) == (not bias), "initialise_ must leave a Conv2d without bias without one"
big = nn.Sequential(nn.Conv2d(64, 32, 3, init="normal", rng=np.random.default_rng(11)))
initialise_(big, "xavier", np.random.default_rng(12))
assert_close(
    big[0].weight.data.var(),
    2 / (64 * 9 + 32 * 9),
    rtol=0.05,
    atol=0.0,
    name="variance of a Conv2d(64, 32, 3) weight, 'xavier' (fans 576 and 288)",
)
for scheme, draw in (("he", he_normal), ("xavier", xavier_uniform)):
    net = _net(np.random.default_rng(4))
    initialise_(net, scheme, np.random.default_rng(5))
    rng_expected = np.random.default_rng(5)
    for layer in (net[0], net[2], net[4]):
        assert_close(
            layer.weight.data,
            draw(layer.weight.data.shape, rng_expected),
            rtol=1e-12,
            atol=0.0,
            name=f"weights after initialise_(model, {scheme!r}, rng): your {draw.__name__}, layer by layer, from rng", own=True
        )
    assert_close(net[4].bias.data, np.zeros(10), name=f"bias of the last layer after initialise_ ({scheme!r})")
net_a, net_b = _net(np.random.default_rng(6)), _net(np.random.default_rng(7))
initialise_(net_a, "he", np.random.default_rng(8))
initialise_(net_b, "he", np.random.default_rng(8))
assert_close(
    net_a[4].weight.data, net_b[4].weight.data, own=True, name="initialise_ twice with the same seed (same network)"
)
assert_close(net_a[4].weight.data.std(), np.sqrt(2 / 200), rtol=0.25, atol=0.0, name="std of Linear(200, 10), 'he'")
### END HIDDEN TESTS

# %% [markdown]
# ### Exercise 5 (4 points). The gain of any activation, derived
#
# He's factor 2 (ReLU) and LeCun's 1 (SELU) are two cases of one rule. Write a layer's weights as
# $w \sim \mathcal N(0, g^2/n_{in})$, where the **gain** $g$ depends only on the activation $f$ that the layer's
# inputs went through. Assume, as sections 2-4 do, that the pre-activations $z$ of a wide layer are close to
# Gaussian with mean 0 (their mean is 0 because the weights have mean 0, whatever the mean of $f$). Using
# section 2's $\operatorname{Var}(z) = n_{in}\operatorname{Var}(w)\operatorname{E}[x^2]$ with $x = f(z_{prev})$,
# derive the gain for which pre-activations of variance 1 give the next layer pre-activations of variance 1
# again (variance 1 is then a *fixed point* of the layer map). Check your formula by hand on ReLU (you should
# find He's $\sqrt2$) and on a linear activation ($f(z) = z$: the gain is 1).
#
# Then write `gain(f)`, which computes that gain numerically for **any** activation:
#
# * `f` is a callable that maps a 1-D float64 array to an array of the same shape, elementwise: a NumPy
#   function such as `np.tanh`, a `lambda`, or a `coursekit.nn` activation module such as `nn.SELU()`. It is
#   continuous, may have kinks anywhere (ReLU has one at 0, $\max(z - 1, 0)$ one at 1), and $|f(z)|$ grows at
#   most like a polynomial in $|z|$;
# * return $g$ as a float, correct to a **relative error below $10^{-6}$**: the tests compare it with exact
#   values ($\sqrt 2$ for ReLU; 1 for SELU, which is built for it; closed forms or adaptive quadrature for
#   the others), so that the function can serve as a library routine like He's and LeCun's formulas;
# * raise `TypeError` if `f` is not callable, and `ValueError` if no gain can work (the expectation you
#   need is 0, as for $f(z) = 0$, or not finite); both messages name `f`.
#
# What you may use: NumPy and SciPy (`scipy.integrate`, `scipy.special`, ...). `coursekit.init` and
# `torch.nn.init` are off limits (torch's `calculate_gain` is a table of *recommended* gains, not this fixed
# point: for tanh it says 5/3). Claim 3 at the end of the notebook runs 50-layer networks with the gains that
# **your** function computes.


# %% solution id=gain forbid=coursekit.init,torch.nn.init
def gain(f):
    """The g with Var(w) = g**2 / n_in that keeps unit-variance Gaussian pre-activations at variance 1 after f."""
    ### BEGIN SOLUTION
    if not callable(f):
        raise TypeError(f"gain: f must be a callable activation, got {type(f).__name__}")
    # 1 = g^2 E[f(z)^2] for z ~ N(0, 1). Trapezoid rule on a fine grid: the Gaussian factor makes the integrand
    # vanish (below 1e-300) long before |z| = 40, and a step of 1e-4 leaves an error of order 1e-9 at a kink.
    z = np.linspace(-40.0, 40.0, 800_001)
    density = np.exp(-0.5 * z**2) / np.sqrt(2.0 * np.pi)
    second_moment = np.trapezoid(np.asarray(f(z), dtype=np.float64) ** 2 * density, z)
    if not 0.0 < second_moment < np.inf:
        raise ValueError(f"gain: E[f(z)^2] = {second_moment} for z ~ N(0, 1): no gain keeps the variance of f at 1")
    return float(1.0 / np.sqrt(second_moment))
    ### END SOLUTION


# %% tests id=test_gain points=4
def relu_np(z):
    return np.maximum(z, 0.0)


assert_close(gain(relu_np), np.sqrt(2.0), rtol=1e-6, atol=0.0, name="gain(ReLU), He's sqrt(2)")
assert_close(gain(lambda z: z), 1.0, rtol=1e-6, atol=0.0, name="gain of the identity f(z) = z")
assert_close(gain(nn.SELU()), 1.0, rtol=1e-6, atol=0.0, name="gain(nn.SELU()), LeCun's 1 (SELU's E[f(z)^2] is 1)")
g_tanh = gain(np.tanh)
assert_between(g_tanh, 1.5, 5 / 3, name="gain(np.tanh)")
assert_close(
    gain(lambda z: 3.0 * np.tanh(z)), g_tanh / 3.0, rtol=1e-9, atol=0.0, own=True, name="gain(3 tanh), vs gain(tanh) / 3"
)
assert_raises(
    ValueError, gain, lambda z: 0.0 * z, name="gain(lambda z: 0 * z) (no gain keeps the variance of f = 0 at 1)"
)
### BEGIN HIDDEN TESTS
from scipy.special import erf as _erf
from scipy.special import ndtr as _ndtr

_phi1 = np.exp(-0.5) / np.sqrt(2.0 * np.pi)
_exact = [  # (activation, E[f(z)^2] for z ~ N(0, 1): closed forms, or scipy.integrate.quad split at the kink)
    ("tanh", np.tanh, 0.3942944903978413),
    ("nn.ELU()", nn.ELU(), 0.644945417492924),
    ("nn.Sigmoid()", nn.Sigmoid(), 0.293379035858093),
    ("GELU", lambda z: 0.5 * z * (1.0 + _erf(z / np.sqrt(2.0))), 0.4252214825702986),
    ("softplus", lambda z: np.logaddexp(0.0, z), 0.9212459088593004),
    ("|z|", np.abs, 1.0),
    ("z**2", lambda z: z**2, 3.0),
    ("sin", np.sin, (1.0 - np.exp(-2.0)) / 2.0),
    ("max(z - 1, 0), a kink at 1", lambda z: np.maximum(z - 1.0, 0.0), 2.0 * _ndtr(-1.0) - _phi1),
    ("nn.LeakyReLU(0.2)", nn.LeakyReLU(0.2), (1.0 + 0.2**2) / 2.0),
    ("0.001 * tanh", lambda z: 1e-3 * np.tanh(z), 1e-6 * 0.3942944903978413),
]
for _label, _f, _second in _exact:
    assert_close(float(gain(_f)), 1.0 / np.sqrt(_second), rtol=1e-6, atol=0.0, name=f"gain of {_label}")
assert_raises(TypeError, gain, 3.0, name="gain(3.0) (f must be callable)")
assert_raises(ValueError, gain, np.zeros_like, name="gain(np.zeros_like) (E[f(z)^2] = 0)")
### END HIDDEN TESTS

# %% [markdown]
# ### Questions
#
# **Question 1 (2 points).** Why does initialising every weight of a hidden layer to the same value
# (zero or not) prevent the network from learning more than one hidden feature, and how does random
# initialisation fix it? Does the bias also need random values?

# %% [markdown] manual id=q_symmetry points=2
# If all incoming weights of the hidden units are equal, every unit computes the same function of the
# input, so the units' activations are identical for every example. In backprop each unit's error
# $\partial L/\partial h_j = \sum_k \delta_k (W_2)_{jk}$ is the same too (the outgoing weights are equal as
# well), so every unit's weights receive the same gradient and stay equal after every update: the layer
# acts as a single unit however wide it is (with exactly zero weights even that unit is stuck, since the
# zero outgoing weights send back a zero error). Random initial weights make the units differ from the
# start, so they receive different gradients and specialise into different features: the randomness
# breaks the symmetry. The biases can start at zero, because the random weights already make the units
# different.

# %% [markdown]
# **Question 2 (2 points).** A classmate standardises the whole digits data set (all 1797 images) and only
# then splits it into train, validation and test. What is wrong with that, what would it do to the
# reported test accuracy, and what should be done instead?

# %% [markdown] manual id=q_leakage points=2
# The mean and standard deviation are then computed partly from the test images, so information about the
# test set enters the preprocessing (part of the model) before training: the test set is no longer unseen
# data and the reported accuracy is (slightly) optimistic; at deployment, new examples arrive one at a time
# and there is no "test mean" to compute anyway. The right way is to split first, compute the per-feature
# statistics on the training set only, and apply exactly those numbers to the validation and test sets (and
# to every future input). With 1797 similar images the bias is small, but on small or shifted data sets it
# can be large, and it is a bug either way.

# %% [markdown]
# ## Experiments: the lecture's claims, measured
#
# ### Claim 1: "$\mathcal N(0, 0.01^2)$ collapses the activations of a deep net; Xavier and He keep them"
#
# The lectures say small random weights are fine for small nets, but in deep nets the activations tend to
# 0; $\mathcal N(0, 1)$ saturates tanh; Xavier keeps the signal in a reasonable range; He does so for ReLU.
# Per-layer standard deviation of the activations (10 layers of width 256, 500 inputs from
# $\mathcal N(0, 1)$, as in sections 2-4), with the `coursekit.init` reference initialisers:

# %% tags=heavy
claims = {
    ("tanh", "N(0, 0.01²)"): "tends to 0 in deep nets",
    ("tanh", "N(0, 1)"): "saturates at ±1, gradients 0",
    ("tanh", "Xavier"): "keeps a reasonable range",
    ("ReLU", "N(0, 0.01²)"): "tends to 0 in deep nets",
    ("ReLU", "Xavier"): "(designed for tanh)",
    ("ReLU", "He"): "keeps a reasonable range",
}
print(f"{'activation, init':20s} {'layer 1':>9s} {'layer 5':>9s} {'layer 10':>9s}  {'|h|>0.99':>8s}   lecture says")
table = {}
for (act, name), says in claims.items():
    acts = deep_activations(name, act)
    table[act, name] = [a.std() for a in acts]
    saturated = f"{np.mean(np.abs(acts[-1]) > 0.99):.4f}" if act == "tanh" else "-"  # ReLU cannot saturate
    print(
        f"{act + ', ' + name:20s} {acts[0].std():9.2e} {acts[4].std():9.2e} {acts[9].std():9.2e}  "
        f"{saturated:>8s}   {says}"
    )
for act, low, high in (("tanh", 5, 7), ("ReLU", 8, 10)):
    stds = table[act, "N(0, 0.01²)"]
    claim(
        f"{act}, N(0, 0.01²): std shrinks per layer by", (stds[0] / stds[9]) ** (1 / 9), low, high, fmt=".1f", unit="x"
    )
    claim(f"{act}, N(0, 0.01²): std at layer 10", stds[9], 0, 3e-8, fmt=".1e", lecture="tends to 0")
for key in (("tanh", "Xavier"), ("ReLU", "He")):
    claim(f"{key[0]}, {key[1]}: smallest std over the 10 layers", min(table[key]), 0.2, 1.0, fmt=".2f")
    claim(f"{key[0]}, {key[1]}: largest std over the 10 layers", max(table[key]), 0.2, 1.0, fmt=".2f")

# %% [markdown]
# Agreement on every row. $\mathcal N(0, 0.01^2)$ shrinks the standard deviation by a factor of about 6 per
# layer (tanh, 5–7) and 9 per layer (ReLU, 8–10, since it also halves the variance), so layer 10 is at
# $10^{-8}$ or below: numerically alive, in practice dead. $\mathcal N(0, 1)$ with tanh keeps std near 1 only because
# nearly all units sit at $\pm 1$ (the $|h| > 0.99$ column). Xavier with tanh and He with ReLU keep the
# spread between about 0.2 and 1 through all ten layers. One nuance the lectures skip: Xavier with tanh is
# not perfectly stable (about 0.63 → 0.23 over 10 layers) and Xavier with ReLU loses a factor $\sqrt2$ per layer;
# the next experiment shows what that costs in training.
#
# ### Claim 2: which initialisations let a 10-layer ReLU net train (final accuracy on digits)
#
# A 10-layer ReLU MLP (64 → 9 × 64 → 10) on the digits, plain SGD, learning rate 0.01, batch 32, 15 epochs,
# one seed per run, trained with `coursekit.train.fit`, starting from each of `nn.Linear`'s initialisations
# `"zeros"`, `"normal"` ($\mathcal N(0, 0.01^2)$), `"xavier"` (uniform) and `"he"` (normal), biases 0. Predict
# from sections 1-4 which of them reach 80 % validation accuracy before you read the table. We also repeat it
# at a 5× larger learning rate, and train the same net once more with the weights drawn by **your**
# `initialise_` (Exercise 4), for `"xavier"` and `"he"` at learning rate 0.01.
# The accuracy of one run moves by a few points from seed to seed (and in its last digits from CPU to CPU),
# so the table is for reading; the claims below it check the ranges that hold for every seed we tried.


# %% tags=heavy,nbval-ignore-output
def deep_relu_net(init_name: str, seed: int = 0) -> nn.Sequential:
    rng = np.random.default_rng(seed)
    layers, d = [], 64
    for _ in range(9):
        layers += [nn.Linear(d, 64, init=init_name, rng=rng), nn.ReLU()]
        d = 64
    return nn.Sequential(*layers, nn.Linear(d, 10, init=init_name, rng=rng))


h = X_tr
for layer in list(deep_relu_net("normal"))[:-1]:  # the nine hidden layers at initialisation
    h = layer(h)
claim("N(0, 0.01²), 64-wide: std of the last hidden layer's output at initialisation", h.std(), 1e-12, 1e-10, fmt=".0e")
results, histories = {}, {}
for lr in (0.01, 0.05):
    for name in ("zeros", "normal", "xavier", "he") if lr == 0.01 else ("xavier", "he"):
        model = deep_relu_net(name)
        h = fit(
            model,
            nn.CrossEntropyLoss(),
            optim.SGD(model.parameters(), lr=lr),
            (X_tr, y_tr),
            (X_va, y_va),
            epochs=15,
            batch_size=32,
            progress=False,
            seed=0,
        )
        results[name, lr] = h.val_acc[-1]
        if lr == 0.01:
            histories[name] = h
print("validation accuracy after 15 epochs (10-layer ReLU MLP, SGD)")
print(f"{'init':8s} {'lr = 0.01':>10s} {'lr = 0.05':>10s}")
for name in ("zeros", "normal", "xavier", "he"):
    fast = f"{results[name, 0.05]:.4f}" if (name, 0.05) in results else "-"
    print(f"{name:8s} {results[name, 0.01]:10.4f} {fast:>10s}")
for name in ("zeros", "normal"):
    claim(f"{name}, lr 0.01: validation accuracy (chance: 0.10)", results[name, 0.01], 0, 0.15, fmt=".2f")
claim("xavier, lr 0.01: validation accuracy (under 0.8)", results["xavier", 0.01], 0.25, 0.75, fmt=".2f")
claim("he, lr 0.01: validation accuracy (about 0.9)", results["he", 0.01], 0.85, 0.95, fmt=".2f")
for name in ("xavier", "he"):
    claim(f"{name}, lr 0.05: validation accuracy", results[name, 0.05], 0.88, 1.0, fmt=".2f")
for scheme in ("xavier", "he"):  # the same net, weights drawn by your initialise_ (Exercise 4)
    model = initialise_(deep_relu_net("zeros"), scheme, np.random.default_rng(0))
    sgd = optim.SGD(model.parameters(), lr=0.01)
    h = fit(
        model, nn.CrossEntropyLoss(), sgd, (X_tr, y_tr), (X_va, y_va), epochs=15, batch_size=32, progress=False, seed=0
    )
    print(f"your initialise_(model, {scheme!r}): validation accuracy after 15 epochs at lr 0.01: {h.val_acc[-1]:.4f}")
fig = plot.plot_history(histories, title="10-layer ReLU MLP on digits, SGD lr = 0.01, by initialisation")

# %% [markdown]
# At learning rate 0.01 only He initialisation gets the 10-layer ReLU net to a good accuracy (about 90 %,
# 85–95 %) within 15 epochs. Zeros never break the symmetry and $\mathcal N(0, 0.01^2)$ starts with a signal
# (and gradients) of order $10^{-11}$ (between $10^{-12}$ and $10^{-10}$: in these 64-wide layers each ReLU
# layer multiplies the std by $\sqrt{64 \cdot 10^{-4}/2} \approx 0.057$, nine times): both stay at chance level,
# about 10 % (at most 15 %), the accuracy of predicting one class. Xavier is the interesting case: its signal
# shrinks by $2^{-4.5}$ through the nine hidden ReLU layers, so learning starts, but slowly (25–75 %, under
# 80 %, at this learning rate); at five times the learning rate it catches up with He (both 88 % or more).
# So the lecture's "use Xavier" is right for tanh nets, while for deep ReLU nets He's
# factor 2 is what makes plain SGD work without tuning. (The test accuracy would tell the same story; we keep
# the test set untouched, as it should be.) Your `initialise_` should tell the same story: with `"he"` the net
# trains to about 90 %, with `"xavier"` it stays well behind at this learning rate (the two lines printed last;
# the exact numbers depend on how your functions draw from `rng`).

# %% [markdown]
# ### Claim 3: the gain of any activation, and a fixed point that does not hold
#
# Exercise 5 gives every activation a gain that makes variance 1 a fixed point of the layer map. Does a deep
# network stay there? We start from pre-activations $z$ of variance 1 (500 examples, width 256) and apply 50
# layers $z \leftarrow f(z)\,W$, $W \sim \mathcal N(0, g^2/256)$, with $g$ computed by **your** `gain`, for
# tanh, the sigmoid, ELU, SELU and GELU ($z\,\Phi(z)$, the default of Transformers, notebook 03), and
# measure the standard deviation of $z$ after every layer. Two comparisons: tanh with torch's recommended
# gain $5/3$, and GELU with He's $\sqrt 2$, which is what a ReLU-minded initialisation would give it.


# %% tags=heavy
import matplotlib.pyplot as plt
from scipy.special import erf


def gelu(z):
    return 0.5 * z * (1.0 + erf(z / np.sqrt(2.0)))


def preactivation_stds(f, g, depth=50, seed=0):
    """Std of z after each of `depth` layers z <- f(z) @ W, W ~ N(0, g^2 / WIDTH), from z ~ N(0, 1)."""
    rng = np.random.default_rng(seed)
    z = rng.standard_normal((500, WIDTH))
    stds = []
    for _ in range(depth):
        z = f(z) @ rng.normal(0.0, g / np.sqrt(WIDTH), size=(WIDTH, WIDTH))
        stds.append(z.std())
    return np.array(stds)


runs = {}
for name, f in (("tanh", np.tanh), ("sigmoid", nn.Sigmoid()), ("ELU", nn.ELU()), ("SELU", nn.SELU()), ("GELU", gelu)):
    runs[name, "your gain"] = (f, gain(f))
runs["tanh", "torch's 5/3"] = (np.tanh, 5 / 3)
runs["GELU", "He's sqrt(2)"] = (gelu, np.sqrt(2.0))
curves = {}
print(f"{'activation, gain':24s} {'g':>7s} {'layer 1':>9s} {'layer 10':>9s} {'layer 30':>9s} {'layer 50':>9s}")
for (name, which), (f, g) in runs.items():
    curves[name, which] = preactivation_stds(f, g)
    s = curves[name, which]
    print(f"{name + ', ' + which:24s} {g:7.4f} {s[0]:9.3g} {s[9]:9.3g} {s[29]:9.3g} {s[49]:9.3g}")
fig, ax = plt.subplots(figsize=(7, 3.6))
for (name, which), s in curves.items():
    ax.semilogy(np.arange(1, 51), s, label=f"{name}, {which}", ls="-" if which == "your gain" else "--")
ax.set(xlabel="layer", ylabel="std of the pre-activations", title="50 layers, each with the gain of its activation")
ax.legend(fontsize=8, ncol=2)
plt.show()
stable = ("tanh", "sigmoid", "ELU", "SELU")
claim(
    "tanh, sigmoid, ELU, SELU with your gain: largest |std - 1| over the 50 layers",
    max(np.abs(curves[name, "your gain"] - 1).max() for name in stable),
    0,
    0.3,
    fmt=".2f",
)
claim("tanh with torch's 5/3: std at layer 50", curves["tanh", "torch's 5/3"][-1], 1.03, 1.15, fmt=".3f")
claim("GELU with your gain: std at layer 50", curves["GELU", "your gain"][-1], 3, np.inf, fmt=".3g")
claim("GELU with He's sqrt(2): std at layer 50", curves["GELU", "He's sqrt(2)"][-1], 0, 1e-2, fmt=".2g")


def handed_on(f, g, q):
    """q'/q: the variance a layer with gain g hands on per unit of input variance q (your gain of f(sqrt(q) u))."""
    second_moment_at_q = 1.0 / gain(lambda z: f(np.sqrt(q) * z)) ** 2  # E[f(sqrt(q) u)^2], u ~ N(0, 1)
    return g**2 * second_moment_at_q / q


relu = lambda z: np.maximum(z, 0.0)  # noqa: E731
activations = {"tanh": runs["tanh", "your gain"], "GELU": runs["GELU", "your gain"], "ReLU": (relu, gain(relu))}
ratios = {name: [handed_on(f, g, q) for q in (0.01, 1.0, 100.0)] for name, (f, g) in activations.items()}
print("\nq'/q, the variance handed on per unit of input variance q, with each activation's own gain")
for name, r in ratios.items():
    print(f"{name:5s} q = 0.01: {r[0]:.3f}   q = 1: {r[1]:.3f}   q = 100: {r[2]:.3f}")
claim("tanh: q'/q at q = 0.01 (above 1: small variances grow)", ratios["tanh"][0], 2.0, np.inf, fmt=".2f")
claim("tanh: q'/q at q = 100 (below 1: large variances shrink)", ratios["tanh"][2], 0, 0.1, fmt=".3f")
claim("GELU: q'/q at q = 0.01 (below 1: small variances shrink)", ratios["GELU"][0], 0.55, 0.65, fmt=".3f")
claim("GELU: q'/q at q = 100 (above 1: large variances grow)", ratios["GELU"][2], 1.1, 1.25, fmt=".3f")
_ = claim("ReLU: largest |q'/q - 1| at q = 0.01, 1, 100", max(abs(r - 1) for r in ratios["ReLU"]), 0, 1e-6, fmt=".0e")

# %% [markdown]
# With its own gain, each of tanh, the sigmoid, ELU and SELU keeps the spread of its pre-activations within 0.3
# of 1 through all 50 layers (the wobble of a finite width): for them variance 1 is a **stable** fixed point.
# Torch's 5/3 for tanh is not this fixed point but close to it: the network settles at a slightly larger spread
# (1.03-1.15 at layer 50), which is harmless. GELU is different: with its exact gain the spread still runs away
# (upwards here, above 3 by layer 50) and with He's $\sqrt 2$ it dies (below 0.01). Variance 1 is a fixed point of GELU's
# layer map, but an **unstable** one, and the ratios $q'/q$ show why. Near 0, $\mathrm{GELU}(z) \approx z/2$,
# so a layer that receives a small variance $q$ hands on only about $0.6\,q$ (0.55-0.65 at $q = 0.01$); far from
# 0 GELU is a ReLU, which keeps half of the second moment, so a large $q$ comes out about 1.18 times larger
# (1.1-1.25 at $q = 100$). A layer slightly above 1 pushes the next one further up, one slightly below pushes it
# further down: a ball on a hilltop. tanh bends the other way (it is linear near 0 and saturates far out: small
# variances grow, $q'/q > 2$ at $q = 0.01$; large ones shrink, $q'/q < 0.1$ at $q = 100$), so its fixed point
# attracts. ReLU sits exactly in between: $q'/q = 1$ for every $q$ (to within $10^{-6}$ here), so a deviation
# neither grows nor shrinks, it wanders from layer to layer; that is why He's initialisation served the 10-layer
# nets of Claims 1 and 2 well. Deep GELU networks (every Transformer) are trained anyway: with normalisation
# layers (notebook 05) and residual connections, which do not rely on this fixed point at all.
#
# ## Summary
#
# * Equal initial weights make hidden units identical forever (**symmetry**); random weights break it.
#   Biases may start at 0.
# * The scale matters: too small and the signal dies layer after layer ($\mathcal N(0, 0.01^2)$ works only in
#   shallow nets), too large and tanh saturates (zero gradients) or ReLU explodes. A deep linear net with
#   $W = pI$ gives $\hat y = p^{L-1}x$: exponential in depth either way.
# * Keep the variance constant across layers: **Xavier/Glorot** $\operatorname{Var}(w) = 2/(n_{in}+n_{out})$,
#   uniform bound $\sqrt{6/(n_{in}+n_{out})}$, for tanh; **He** $\mathcal N(0, 2/n_{in})$ for ReLU; **LeCun**
#   $\mathcal N(0, 1/n_{in})$ for SELU. In our `(in, out)` layout $n_{in}$ is the number of rows; a convolution
#   weight `(F, C, kh, kw)` has $n_{in} = C\,k_h k_w$ and $n_{out} = F\,k_h k_w$ (as in PyTorch).
# * All three are one rule: $\operatorname{Var}(w) = g^2/n_{in}$ with the **gain** $g = 1/\sqrt{\operatorname{E}[f(z)^2]}$,
#   $z \sim \mathcal N(0, 1)$, which makes variance 1 a fixed point of the layer map. A fixed point must also
#   be stable: for tanh, the sigmoid, ELU and SELU it attracts, for ReLU it is neutral, for GELU it repels, and
#   deep GELU nets rely on normalisation and residual connections instead.
# * Centre (and usually standardise) the inputs with the **training** statistics only; for images subtract
#   the mean image (AlexNet) or the per-channel mean (VGG). Unscaled features give elongated cost contours
#   and slow, zig-zagging gradient descent.
# * Batch normalisation (notebook 05) makes networks much less sensitive to all of this.
#
# ## Further reading
#
# * X. Glorot, Y. Bengio. *Understanding the difficulty of training deep feedforward neural networks.* AISTATS 2010.
# * K. He, X. Zhang, S. Ren, J. Sun. *Delving Deep into Rectifiers: Surpassing Human-Level Performance on
#   ImageNet Classification.* ICCV 2015.
# * Y. LeCun, L. Bottou, G. Orr, K.-R. Müller. *Efficient BackProp.* In *Neural Networks: Tricks of the Trade*, 1998
#   (input normalisation, the $1/n_{in}$ initialisation).
# * G. Klambauer, T. Unterthiner, A. Mayr, S. Hochreiter. *Self-Normalizing Neural Networks.* NeurIPS 2017.
# * A. Krizhevsky, I. Sutskever, G. Hinton. *ImageNet Classification with Deep Convolutional Neural Networks.*
#   NeurIPS 2012 (AlexNet, mean-image subtraction).
# * K. Simonyan, A. Zisserman. *Very Deep Convolutional Networks for Large-Scale Image Recognition.* ICLR 2015
#   (VGG, per-channel mean subtraction).
# * K. He, X. Zhang, S. Ren, J. Sun. *Deep Residual Learning for Image Recognition.* CVPR 2016 (residual
#   connections, another cure for vanishing signals in deep nets).
# * M. Nielsen. *Neural Networks and Deep Learning*, chapter 5 (vanishing gradients).

# %% [markdown]
# # 03 · Activations: non-linearities and the gradients they pass
#
# A network is a stack of linear maps with a non-linear function $f$ between them. Notebook 02 used
# the sigmoid because it is the classic choice; this notebook asks which $f$ to use, and why the choice
# matters so much for training. The forward pass is only half of the story: during backprop every unit
# multiplies the incoming gradient by $f'(z)$, so the *derivative* of the activation decides whether
# a deep network can learn at all.
#
# **Objectives.** After this notebook you can
#
# 1. state the range, strengths and weaknesses of sigmoid, tanh, ReLU, Leaky ReLU, PReLU, ELU, SELU and
#    Maxout, and of GELU and SiLU, today's defaults in transformers and modern CNNs;
# 2. **derive** the derivatives of the sigmoid, tanh and ELU yourself, each written through the function's own
#    output, and implement forward and backward passes that a gradient check accepts (Exercises 1–6);
# 3. derive the backward pass of a layer with a *learned* parameter: PReLU's $\partial L/\partial x$ and
#    $\partial L/\partial \alpha$, one slope per channel (Exercise 7), and train a network with your PReLU
#    (Experiment D);
# 4. backpropagate through a max: a Maxout layer forward and backward, checked against PyTorch autograd
#    (Exercises 8 and 9), and train a network with it (Experiment D);
# 5. explain saturation, non-zero-centred outputs and dead ReLUs, and measure them (Exercise 11, Experiment C);
# 6. show how gradients vanish with depth for sigmoid networks and not for ReLU networks;
# 7. clip an exploding gradient by its norm (Exercise 10);
# 8. derive SiLU's and GELU's derivatives and compute GELU without losing its left tail to cancellation
#    (Exercise 12);
# 9. compare our measurements with the lecture's figures (ReLU's speed-up over tanh, SELU's self-normalisation).
#
# **Prerequisites.** 02 (backprop, the chain rule, `forward`/`backward` with a cache, gradient checking).
# From `coursekit` we use `coursekit.functional` (the library's activations, for the lecture part; in the
# exercises you write your own: `sigmoid_forward`, `tanh_forward`, `relu_forward`, `leaky_relu_forward`,
# `elu_forward`, `selu_forward`, `prelu_forward`, `maxout_forward`, `silu_forward`, `gelu_forward` and their
# `*_backward`), `coursekit.nn`
# (`Linear`, `Sigmoid`, `Tanh`, `ReLU`, `PReLU`, `Maxout`, `Sequential`, `CrossEntropyLoss`),
# `coursekit.init.lecun_normal`, `coursekit.optim` (`SGD`, `clip_grad_norm_`), `coursekit.gradcheck.check_layer`,
# `coursekit.train` (`fit`, `accuracy`), `coursekit.data` (`load_digits`, `standardize`,
# `train_val_test_split`) and `coursekit.plot` (`plot_activations`, `plot_curves`).

# %%
from coursekit.plot import setup_notebook

setup_notebook()

import time

import matplotlib.pyplot as plt
import numpy as np

from coursekit import data, gradcheck, init, nn, optim, plot, train
from coursekit import functional as F
from coursekit.claims import claim

# %% [markdown]
# ## 1. Why a non-linearity at all?
#
# Without $f$, two layers collapse into one: $(xW_1 + b_1)W_2 + b_2 = x(W_1W_2) + (b_1W_2 + b_2)$, a single
# linear map. However many layers we stack, the network can only draw linear decision boundaries (the
# XOR problem of notebook 01). The non-linearity is what makes depth worth anything.

# %%
rng = np.random.default_rng(0)
x, w1, w2 = rng.standard_normal((5, 4)), rng.standard_normal((4, 8)), rng.standard_normal((8, 3))
print("two linear layers == one layer with W = W1 W2:", np.allclose((x @ w1) @ w2, x @ (w1 @ w2)))
relu_net = F.relu_forward(x @ w1)[0] @ w2
print("with a ReLU in between they differ:          ", not np.allclose(relu_net, x @ (w1 @ w2)))

# %% [markdown]
# The functions this notebook studies, with their derivatives (drawn by `coursekit.plot.plot_activations`
# from the reference implementations in `coursekit.functional`; every `*_backward(dout, cache)` multiplies
# the upstream gradient `dout` by $f'$, so `backward(ones)` *is* $f'$):


# %%
def curve_and_slope(forward, **kwargs):
    """(f, f') of a coursekit.functional activation, for plotting."""
    backward = getattr(F, forward.__name__.replace("forward", "backward"))

    def slope(x):
        out, cache = forward(x, **kwargs)
        return backward(np.ones_like(out), cache)

    return (lambda x: forward(x, **kwargs)[0]), slope


zoo = {
    "sigmoid": curve_and_slope(F.sigmoid_forward),
    "tanh": curve_and_slope(F.tanh_forward),
    "ReLU": curve_and_slope(F.relu_forward),
    "Leaky ReLU (α=0.1)": curve_and_slope(F.leaky_relu_forward, alpha=0.1),
    "ELU (α=1)": curve_and_slope(F.elu_forward),
    "SELU": curve_and_slope(F.selu_forward),
}
fig = plot.plot_activations(zoo, xlim=(-4.0, 4.0))

# %% [markdown]
# (The Leaky ReLU is drawn with $\alpha = 0.1$ so that its slope is visible; the usual default is 0.01.)
#
# ## 2. Sigmoid
#
# $$\sigma(x) = \frac{1}{1 + e^{-x}} .$$
#
# (Its derivative $\sigma'$ can be written with $\sigma(x)$ alone, so the backward pass needs no second
# `exp`: deriving it is part of Exercise 1. Until then the cells use the library's backward pass.)
#
# It squashes any number into $(0, 1)$ and was historically popular because it reads as the firing rate
# of a neuron that saturates: silent for very negative input, firing at its maximum rate for very
# positive input. The lecture lists **three problems**.
#
# **1. Saturated neurons kill the gradient.** What happens at $x = -10$, $0$ and $10$?

# %%
x = np.array([-10.0, 0.0, 10.0])
out, cache = F.sigmoid_forward(x)
slope = F.sigmoid_backward(np.ones_like(x), cache)
for xi, si, di in zip(x, out, slope, strict=True):
    print(f"x = {xi:6.1f}   sigma(x) = {si:.6f}   sigma'(x) = {di:.2e}")
print(f"largest possible slope: sigma'(0) = {slope[1]:.2f}")
claim("sigma'(±10), the local gradient of a saturated sigmoid", slope[0], 4.5e-5, 4.6e-5, fmt=".3g")
_ = claim("sigma'(0), the largest slope of the sigmoid", slope[1], 0.25, 0.25)

# %% [markdown]
# At $\pm 10$ the local gradient is $4.5\cdot 10^{-5}$: whatever error arrives from above is multiplied by it
# and almost nothing flows to the weights below. Even at its best ($x = 0$) the sigmoid passes on only a
# quarter of the gradient, which is why deep sigmoid networks learn slowly in their first layers (section 10).
#
# **2. The output is not zero-centred.** Take a unit $z = \sum_i w_i x_i + b$ whose inputs $x_i$ are
# outputs of sigmoids, so all positive. Then
#
# $$\frac{\partial L}{\partial w_i} = \frac{\partial L}{\partial z}\, x_i$$
#
# has the sign of $\partial L/\partial z$ for *every* $i$: the gradient of the weight vector is either all
# positive or all negative. An update can only move all weights up together or all down together, so
# reaching, say, "raise $w_1$, lower $w_2$" takes a zig-zag of steps. (The same argument is why we want
# zero-mean input data, notebook 04.) Let us count, over 1000 random upstream gradients, how often all
# 10 components of $\partial L/\partial w$ share a sign. With sigmoid inputs it must be every time; with
# zero-centred tanh inputs, whose signs are independent coin flips, the chance is $2 \cdot 2^{-10} \approx 0.002$:

# %%
rng = np.random.default_rng(1)
z_prev = rng.standard_normal((1000, 10))  # pre-activations of the previous layer, 1000 samples
dz = rng.standard_normal((1000, 1))  # upstream gradient dL/dz of the unit, one per sample
for name, forward in (("sigmoid", F.sigmoid_forward), ("tanh", F.tanh_forward)):
    inputs = forward(z_prev)[0]
    dw = dz * inputs  # dL/dw_i = dL/dz * x_i, one gradient vector per sample
    same_sign = np.mean(np.all(dw > 0, axis=1) | np.all(dw < 0, axis=1))
    print(f"inputs from {name:7s}: mean input {inputs.mean():+.3f}, all-same-sign gradients {same_sign:.3f}")
    if name == "sigmoid":
        claim("share of all-same-sign weight gradients, sigmoid inputs", same_sign, 1.0, 1.0, fmt=".3f")
    else:
        claim("share of all-same-sign weight gradients, tanh inputs", same_sign, 0.0, 0.01, fmt=".3f")

# %% [markdown]
# **3. `exp()` is expensive** compared with a comparison. The timing below (it changes from machine to
# machine) compares the sigmoid with ReLU's `max(0, x)` on a million numbers:

# %% tags=nbval-ignore-output
big = np.random.default_rng(2).standard_normal(1_000_000)
for name, fn in (("sigmoid", lambda v: 1.0 / (1.0 + np.exp(-v))), ("ReLU", lambda v: np.maximum(v, 0.0))):
    start = time.perf_counter()
    for _ in range(5):
        fn(big)
    print(f"{name:8s} {(time.perf_counter() - start) / 5 * 1e3:.1f} ms")

# %% [markdown]
# ## 3. tanh
#
# $$\tanh(x) = \frac{e^x - e^{-x}}{e^x + e^{-x}} = \frac{1 - e^{-2x}}{1 + e^{-2x}} = 2\sigma(2x) - 1 .$$
#
# (Its derivative, too, is a short expression in $\tanh(x)$ itself: Exercise 2.)
#
# tanh is a sigmoid stretched to $(-1, 1)$ and recentred (LeCun et al., 1991, recommended it). It fixes
# problem 2, its outputs are **zero-centred**, and its largest slope is $\tanh'(0) = 1$ instead of
# $\sigma'(0) = 1/4$ (the lecture says: check it! we do below). One lecture's advice: always prefer tanh
# to the sigmoid as a hidden activation. It still **saturates**: it is sensitive only near 0, for large
# $|x|$ its value hardly changes, and the gradient vanishes exactly as for $\sigma$.

# %%
grid = np.linspace(-6.0, 6.0, 1201)
t_out, t_cache = F.tanh_forward(grid)
s_out, s_cache = F.sigmoid_forward(2 * grid)
print("max |tanh(x) - (2 sigma(2x) - 1)| on [-6, 6]:", f"{np.abs(t_out - (2 * s_out - 1)).max():.1e}")
t_slope = F.tanh_backward(np.ones_like(grid), t_cache)
print(f"largest slope of tanh: {t_slope.max():.4f} at x = {grid[t_slope.argmax()]:.2f}")
print(f"tanh'(3) = {t_slope[grid == 3.0][0]:.4f}, tanh'(6) = {t_slope[-1]:.1e}   (saturation)")
_ = claim("largest slope of tanh, tanh'(0)", t_slope.max(), 1.0, 1.0, fmt=".4f", lecture="1, four times sigma'(0)")

# %% [markdown]
# ## 4. ReLU
#
# $$\mathrm{ReLU}(x) = \max(0, x), \qquad \mathrm{ReLU}'(x) = \begin{cases} 1 & x > 0 \\ 0 & x < 0 \end{cases}$$
#
# (at the kink $x = 0$ we use 0, as PyTorch does). The rectified linear unit is the default today:
#
# * it does **not saturate** for $x > 0$: the gradient passes unchanged, it does not decay;
# * it is **very cheap**: a comparison, no `exp`;
# * in practice it **converges much faster** than sigmoid/tanh: six times faster in Krizhevsky,
#   Sutskever & Hinton (2012), the AlexNet paper that started the deep-learning boom (we measure our
#   own ratio in Experiment A);
# * it makes the network **sparse**: about half of the units output exactly 0 for a given input.
#
# Its weaknesses: the output is not zero-centred, and when $x < 0$ the gradient is exactly 0. A unit
# whose input is negative for *every* example never receives a gradient again: a **dead ReLU**. A too
# large learning rate can kill a big part of a network in a few steps (Experiment C), which is why the
# lecture's advice comes with "mind the learning rate".
#
# For one fixed input, a ReLU network is a *narrower linear network*: the inactive units contribute
# nothing, the active ones pass their input on unchanged. The cell below checks this on a random
# network and one digit image.

# %%
X_digits, y_digits = data.load_digits()
X_std = data.standardize(X_digits)[0]  # zero mean, unit variance per pixel (constant pixels stay 0)

rng = np.random.default_rng(3)
w1, b1 = init.he_normal((64, 100), rng=rng), np.zeros(100)
w2, b2 = init.he_normal((100, 10), rng=rng), np.zeros(10)
hidden = F.relu_forward(X_std @ w1 + b1)[0]
claim("fraction of hidden ReLU outputs that are exactly 0 (about half)", np.mean(hidden == 0), 0.4, 0.6, fmt=".3f")

x0 = X_std[:1]  # one image
active = (x0 @ w1 + b1)[0] > 0
narrow = x0 @ w1[:, active] @ w2[active, :] + b1[active] @ w2[active, :] + b2
print(
    f"{active.sum()} of 100 units active; ReLU net == linear net of the active units:",
    np.allclose(F.relu_forward(x0 @ w1 + b1)[0] @ w2 + b2, narrow),
)

# %% [markdown]
# ## 5. Leaky ReLU and PReLU
#
# Give the negative side a small slope so that the gradient never becomes exactly zero:
#
# $$\mathrm{LeakyReLU}(x) = \max(0.01x, x), \qquad \mathrm{PReLU}(x) = \max(\alpha x, x) = \max(0, x) + \alpha\min(0, x).$$
#
# Leaky ReLU (Maas et al., 2013) fixes the slope (some slides write $0.1x$; any $\alpha < 1$ works, 0.01
# is the usual default). It keeps ReLU's benefits, is cheap, does not saturate, and **does not die**.
# The Parametric ReLU (He et al., 2015) *learns* $\alpha$ by gradient descent like any other weight,
# usually one $\alpha$ per channel (He et al. learned one per channel of every convolutional layer, and found
# large slopes in the first layers and small ones deeper). So the backward pass of a PReLU returns *two*
# gradients: $\partial L/\partial x$ for the layer below, and $\partial L/\partial \alpha$ for the optimiser. Deriving
# the second is Exercise 7. `coursekit.functional.prelu_backward` returns both, and
# `coursekit.gradcheck.check_layer` confirms both against central differences:

# %%
rng = np.random.default_rng(4)
x = rng.standard_normal((6, 3))
alpha = np.array([0.25, 0.1, 0.0])  # one slope per feature (axis 1), as torch.nn.PReLU
errors = gradcheck.check_layer(F.prelu_forward, F.prelu_backward, x, alpha, rng=rng)
print("relative errors, dx and dalpha:", {k: f"{v:.1e}" for k, v in errors.items()})

# %% [markdown]
# ## 6. ELU
#
# The exponential linear unit (Clevert, Unterthiner & Hochreiter, 2015):
#
# $$\mathrm{elu}(x) = \begin{cases} x & x > 0 \\ \alpha\,(e^x - 1) & x \le 0 \end{cases} \qquad (\alpha \ge 0).$$
#
# Like the sigmoid's, its derivative on the negative side can be written with the forward output, so the
# backward pass needs no second `exp` (Exercise 5). ELU has all the benefits of ReLU, does not die, and its
# outputs are **closer to zero mean** (negative inputs give negative outputs): for $\mathcal N(0, 1)$ input its
# mean output is less than half of ReLU's $1/\sqrt{2\pi} \approx 0.40$. The price is an `exp()`. It saturates
# only on the negative side, at $-\alpha$.

# %%
rng = np.random.default_rng(5)
z = rng.standard_normal(100_000)
mean_out = {}
for name, forward in (("ReLU", F.relu_forward), ("ELU", F.elu_forward), ("tanh", F.tanh_forward)):
    mean_out[name] = forward(z)[0].mean()
    print(f"{name:4s} of N(0, 1) input: mean output {mean_out[name]:+.3f}")
_ = claim("ELU's mean output over ReLU's, N(0, 1) input (less than half)", mean_out["ELU"] / mean_out["ReLU"], 0.3, 0.5)

# %% [markdown]
# ## 7. SELU: an activation that normalises itself
#
# One lecture motivates SELU with *covariate shift*: each layer learns on the output distribution of the
# layer below, and that distribution moves every time the weights below change. The deeper the network,
# the more this slows training or even makes the activations degenerate. Remedies: the natural gradient,
# special initialisation, batch normalisation (notebook 05), weight normalisation, and special activation
# functions. ELU fixes the mean; what about the variance? The scaled ELU (Klambauer et al., 2017) is
#
# $$\mathrm{selu}(x) = \lambda \begin{cases} x & x > 0 \\ \alpha\,(e^x - 1) & x \le 0 \end{cases},
# \qquad \lambda \approx 1.0507,\ \alpha \approx 1.6733 .$$
#
# The two constants are derived for inputs of mean 0 and standard deviation 1: with them, (mean 0,
# variance 1) is a fixed point of the map from one layer's activations to the next, so a deep stack keeps
# its activations normalised without any normalisation layer. It works only with the matching
# initialisation $W \sim \mathcal N(0, 1/\text{fan\_in})$, i.e. standard deviation $\sqrt{1/\text{in}}$
# (`coursekit.init.lecun_normal`). One layer:

# %%
rng = np.random.default_rng(6)
h = rng.standard_normal((2000, 256))
w = init.lecun_normal((256, 256), rng=rng)
out = F.selu_forward(h @ w)[0]
print(f"lambda = {F.SELU_LAMBDA:.4f}, alpha = {F.SELU_ALPHA:.4f}")
print(f"input  mean {h.mean():+.4f}, var {h.var():.4f}")
print(f"output mean {out.mean():+.4f}, var {out.var():.4f}")

# %% [markdown]
# Experiment B follows the statistics through 32 layers.
#
# ## 8. Maxout
#
# Goodfellow et al. (2013) drop the "dot product, then a fixed non-linearity" form altogether. A maxout
# unit computes $K$ affine functions of its input and keeps the largest:
#
# $$\mathrm{maxout}(x) = \max\big(w_1^\top x + b_1,\; w_2^\top x + b_2\big) \qquad (K = 2).$$
#
# It is piecewise linear, so it **does not saturate** and **does not die**, and it **generalises ReLU**
# ($w_1 = 0, b_1 = 0$ gives $\max(0, w_2^\top x + b_2)$) and Leaky ReLU ($w_1 = \alpha w_2$ **and**
# $b_1 = \alpha b_2$, so that the first piece is $\alpha$ times the second: $\max(\alpha z, z)$ with
# $z = w_2^\top x + b_2$). The catch: each
# unit has $K$ times the parameters, so $K = 2$ doubles the number of parameters. In
# `coursekit.functional.maxout_forward` the weights are `(D, M, K)`: $M$ units, $K$ pieces each. Its backward
# pass has to answer a question that no elementwise activation raises: which of the $K$ pieces gets the
# gradient? (Exercises 8 and 9.)

# %%
rng = np.random.default_rng(7)
x = rng.standard_normal((5, 4))
w, b = rng.standard_normal((4, 3)), rng.standard_normal(3)
w_pieces = np.stack([np.zeros_like(w), w], axis=2)  # (D, M, K=2): piece 0 is the constant 0
b_pieces = np.stack([np.zeros_like(b), b], axis=1)  # (M, K)
maxout_out = F.maxout_forward(x, w_pieces, b_pieces)[0]
print("maxout with one zero piece == ReLU:", np.allclose(maxout_out, F.relu_forward(x @ w + b)[0]))
leaky = F.leaky_relu_forward(x @ w + b, alpha=0.1)[0]
w_leaky = np.stack([0.1 * w, w], axis=2)
only_w = F.maxout_forward(x, w_leaky, np.stack([b, b], axis=1))[0]
both = F.maxout_forward(x, w_leaky, np.stack([0.1 * b, b], axis=1))[0]
print("maxout with w1 = 0.1 w2, b1 = b2      == Leaky ReLU (0.1):", np.allclose(only_w, leaky))
print("maxout with w1 = 0.1 w2, b1 = 0.1 b2  == Leaky ReLU (0.1):", np.allclose(both, leaky))
print(f"parameters: ReLU layer {w.size + b.size}, maxout layer (K=2) {w_pieces.size + b_pieces.size}")
_ = claim(
    "maxout (K=2) parameters over ReLU layer parameters", (w_pieces.size + b_pieces.size) / (w.size + b.size), 2, 2
)

# %% [markdown]
# ## 9. Which activation in practice?
#
# The lecture's advice, in order:
#
# * **use ReLU**, and be careful with the learning rate (dead units);
# * try **Leaky ReLU / Maxout / ELU** (and SELU for deep fully connected nets);
# * try tanh, but do not expect much;
# * **avoid the sigmoid** as a hidden activation (it is fine as the output of a binary classifier,
#   where its $(0, 1)$ range is exactly what we want).
#
# ### Today's defaults: GELU and SiLU
#
# Since the lecture's slides were made, two smooth relatives of ReLU have become the defaults of large models:
#
# $$\mathrm{GELU}(x) = x\,\Phi(x), \qquad \mathrm{SiLU}(x) = x\,\sigma(x),$$
#
# where $\Phi$ is the standard normal CDF. GELU (Hendrycks & Gimpel, 2016) weights its input by the
# probability that a standard normal variable is below it; it is the activation of BERT, the GPT family and
# the Vision Transformer. SiLU (Elfwing et al., 2017), also called Swish (Ramachandran et al., 2017, who found it
# by an automated search over activation functions), is used in EfficientNet and many detection networks,
# and as the gate of the SwiGLU layers of recent language models (PaLM, LLaMA). Both behave like ReLU far from 0
# (about $0$ on the left, about $x$ on the right) but are **smooth** at 0, and they **dip below zero** for
# negative inputs before returning to 0: they are not monotonic. Their slopes are not confined to $[0, 1]$
# either: slightly negative on the left, slightly above 1 on the right. `coursekit.functional.gelu_forward`
# computes the exact form (through `erfc`: Exercise 12 asks why), PyTorch's default (`torch.nn.GELU()`; GPT-2 used a tanh approximation,
# `approximate="tanh"`, which differs in the fourth decimal).

# %%
zoo_modern = {
    "ReLU": curve_and_slope(F.relu_forward),
    "GELU": curve_and_slope(F.gelu_forward),
    "SiLU": curve_and_slope(F.silu_forward),
}
fig = plot.plot_activations(zoo_modern, xlim=(-4.0, 4.0))
grid = np.linspace(-6.0, 6.0, 12001)
for name, (curve, slope_of) in zoo_modern.items():
    y, dy = curve(grid), slope_of(grid)
    print(
        f"{name:4s}: minimum {y.min():+.3f} at x = {grid[y.argmin()]:+.2f};"
        f" slope from {dy.min():+.3f} to {dy.max():.3f}"
    )
claim("GELU's minimum value (its negative dip)", zoo_modern["GELU"][0](grid).min(), -0.171, -0.169, fmt=".3f")
claim("SiLU's minimum value", zoo_modern["SiLU"][0](grid).min(), -0.279, -0.278, fmt=".3f")
claim("GELU's largest slope (above 1)", zoo_modern["GELU"][1](grid).max(), 1.12, 1.14, fmt=".3f")
z = np.random.default_rng(12).standard_normal(100_000)
means = {name: curve(z).mean() for name, (curve, _) in zoo_modern.items()}
print("mean output for N(0, 1) input:", ", ".join(f"{name} {m:.2f}" for name, m in means.items()))
_ = claim(
    "GELU's mean output for N(0, 1) input (exactly 1/(2 sqrt(pi)) = 0.282 in the limit)",
    means["GELU"],
    0.27,
    0.295,
    fmt=".3f",
)

# %%
# Phi(x) = (1 + erf(x / sqrt 2)) / 2 is exact on paper, but in the left tail 1 + erf cancels: compared with SciPy's
# accurate normal CDF (ndtr; Exercise 12 asks you for an accurate form of your own)
from scipy.special import erf, ndtr

tail_error = {}
for x in (-6.0, -8.0, -9.0):
    textbook, accurate = 0.5 * (1.0 + erf(x / np.sqrt(2.0))), ndtr(x)
    tail_error[x] = abs(textbook - accurate) / accurate
    print(f"Phi({x:+.0f}): 1 + erf form {textbook:.6e}, accurate {accurate:.6e}, relative error {tail_error[x]:.1e}")
claim("relative error of the 1 + erf form at x = -6", tail_error[-6.0], 1e-11, 1e-9, fmt=".0e")
claim("relative error of the 1 + erf form at x = -8", tail_error[-8.0], 1e-3, 0.1, fmt=".0e")
_ = claim("relative error of the 1 + erf form at x = -9 (the form gives 0)", tail_error[-9.0], 1.0, 1.0, fmt=".0f")

# %% [markdown]
# The negative dip is small (GELU reaches about $-0.17$, SiLU about $-0.28$), but it means that a moderately
# negative input still passes a gradient (of either sign), where a ReLU passes exactly none; only far to the left
# does the slope fade to 0. Their mean output for
# $\mathcal N(0, 1)$ input (0.28 for GELU) lies between ELU's and ReLU's 0.40. What they cost is an `erf` or an
# `exp` per element, negligible next to the matrix products of a transformer. Why they train large models better
# than ReLU is an empirical finding (both papers compare on many tasks), not a theorem.
#
# ## 10. Vanishing gradients with depth
#
# Backprop through $L$ layers multiplies the error by one factor $W_l\,\mathrm{diag}(f'(z_l))$ per layer:
#
# $$\frac{\partial L}{\partial h_1} = \frac{\partial L}{\partial h_L}\;\prod_{l=L}^{2} \mathrm{diag}\big(f'(z_l)\big)\, W_l^\top .$$
#
# With the sigmoid every $f'$ is at most $1/4$, so unless the weights are large the product shrinks
# geometrically: the gradients of the first layers become tiny and those layers learn very slowly
# (Nielsen's *Neural Networks and Deep Learning*, chapter 5, plots this for 2, 3 and 4 hidden layers).
# With ReLU the active units pass the gradient with factor 1. Below: the norm of $\partial L/\partial W_l$ for
# every hidden layer of sigmoid and ReLU networks of 30 units per layer, on a batch of 500 digits, at
# initialisation (the same Glorot/Xavier weights for both). The figure shows one draw of the weights; the
# ratios printed last are geometric means over five draws, since one draw varies by a factor of about 2.


# %%
def mlp(act, depth, width=30, init_name="xavier", seed=0):
    """depth hidden layers of `width` units with activation `act`, on 64 inputs, 10 outputs."""
    rng = np.random.default_rng(seed)
    layers, d = [], 64
    for _ in range(depth):
        layers += [nn.Linear(d, width, init=init_name, rng=rng), act()]
        d = width
    return nn.Sequential(*layers, nn.Linear(d, 10, init=init_name, rng=rng))


def hidden_grad_norms(model, x, y):
    """||dL/dW|| of every hidden Linear layer (input side first) after one backward pass."""
    loss = nn.CrossEntropyLoss()
    model.zero_grad()
    loss(model(x), y)
    model.backward(loss.backward())
    return [float(np.linalg.norm(m.weight.grad)) for m in model if isinstance(m, nn.Linear)][:-1]


batch = np.random.default_rng(8).choice(len(X_std), 500, replace=False)
xb, yb = X_std[batch], y_digits[batch]

# %% tags=heavy
fig, axes = plt.subplots(1, 2, figsize=(9, 3.2), sharey=True)
for ax, act in zip(axes, (nn.Sigmoid, nn.ReLU), strict=True):
    for depth in (2, 3, 4, 6):
        norms = hidden_grad_norms(mlp(act, depth, seed=1), xb, yb)
        print(
            f"{act.__name__:7s} {depth} hidden layers: ||dW|| =",
            " ".join(f"{n:.4f}" for n in norms),
            f"  first/last = {norms[0] / norms[-1]:.3f}",
        )
        ax.plot(range(1, depth + 1), norms, marker="o", label=f"{depth} hidden layers")
    ax.set(
        title=f"{act.__name__}: gradient norm per layer",
        xlabel="hidden layer (1 = next to the input)",
        ylabel="||dL/dW||",
        yscale="log",
    )
    ax.legend()

shrink, spread = {}, []  # sigmoid: last/first hidden-layer norm; ReLU: largest/smallest norm in one net
for depth in (2, 3, 4, 6):
    ratios = []
    for seed in range(5):
        sig = hidden_grad_norms(mlp(nn.Sigmoid, depth, seed=seed), xb, yb)
        relu = hidden_grad_norms(mlp(nn.ReLU, depth, seed=seed), xb, yb)
        ratios.append(sig[-1] / sig[0])
        spread.append(max(relu) / min(relu))
    shrink[depth] = float(np.exp(np.mean(np.log(ratios))))
print("sigmoid, last/first hidden layer's ||dW||, geometric mean of 5 draws:")
print("  " + ", ".join(f"{depth} layers {r:.0f}x" for depth, r in shrink.items()))
claim(
    "sigmoid, first layer's gradient smaller than the last's, 2 hidden layers", shrink[2], 1.5, 4, fmt=".1f", unit="x"
)
claim("sigmoid, the same with 4 hidden layers", shrink[4], 15, 70, fmt=".0f", unit="x")
claim("sigmoid, the same with 6 hidden layers", shrink[6], 250, 1500, fmt=".0f", unit="x")
_ = claim("ReLU, largest/smallest layer gradient norm in one net (20 nets)", max(spread), 1.0, 2.5, fmt=".2g", unit="x")

# %% [markdown]
# In the sigmoid networks the first layer's gradient is about 2× smaller than the last hidden layer's
# with 2 hidden layers (1.5–4× is the range we check), about 30× with 4 (15–70×) and about 600× with 6
# (250–1500×): every extra layer divides it again, by roughly 3 to 5. In the ReLU networks all layers of one
# network receive gradients of similar size (within a factor 2.5 in every one of the 20 nets, usually 1.1–1.8).
# (Under Glorot initialisation the ReLU gradients still shrink slowly as the network gets deeper, because
# ReLU halves the variance at each layer; He initialisation corrects that, notebook 04.)
#
# The lecture's list of remedies: non-saturating activations in the hidden layers; residual connections
# (He et al., 2015), which give the gradient a path around every layer; a proper initialisation (04);
# gradient clipping (next section, for the exploding case); batch normalisation (05). The same product of
# matrices can also *grow*: in a deep linear network with $W_l = pI$ the output is $p^{L-1}x$, vanishing for
# $p < 1$ and exploding for $p > 1$ (notebook 04 works it through).
#
# ## 11. Exploding gradients and clipping
#
# If the factors in the product are larger than 1, the gradient explodes instead: one huge step throws
# the weights far away (the loss jumps or becomes NaN). The remedy from the lecture is **gradient clipping**
# by the norm: with a threshold $\beta$ (the largest gradient norm we accept),
#
# $$\nabla W \leftarrow \nabla W \cdot \frac{\beta}{\max(\lVert \nabla W \rVert,\ \beta)} .$$
#
# A gradient with norm below $\beta$ is left alone; a larger one keeps its **direction** and is scaled down to
# norm $\beta$. You implement this formula for one array in Exercise 10. Frameworks usually clip the joint
# norm of all parameters at once: `coursekit.optim.clip_grad_norm_(params, max_norm)`, like
# `torch.nn.utils.clip_grad_norm_`, computes $\lVert g \rVert$ over every gradient together and scales all of
# them by $\beta / (\lVert g \rVert + 10^{-6})$ when that is below 1. Here a 10-layer ReLU net whose weights are
# 1.5× too large gets a huge gradient; clipping brings it to norm 1 without turning it:

# %%
deep = mlp(nn.ReLU, depth=10, width=64, init_name="he", seed=9)
for p in deep.parameters():
    p.data *= 1.5  # every layer amplifies by about 1.5: 1.5**10 ≈ 58 in the forward pass alone
norms = hidden_grad_norms(deep, xb, yb)
print("per-layer ||dW||, input side first:", " ".join(f"{n:.3g}" for n in norms))
before = np.concatenate([p.grad.ravel() for p in deep.parameters()])
total = optim.clip_grad_norm_(deep.parameters(), max_norm=1.0)
after = np.concatenate([p.grad.ravel() for p in deep.parameters()])
cosine = before @ after / (np.linalg.norm(before) * np.linalg.norm(after))
print(f"total norm before clipping {total:.4g}, after {np.linalg.norm(after):.4f}, cosine(before, after) {cosine:.4f}")
claim("total gradient norm of the 1.5x-scaled 10-layer ReLU net (huge)", total, 100, np.inf, fmt=".3g")
claim("gradient norm after clipping to 1", np.linalg.norm(after), 0.999, 1.0001, fmt=".4f")
_ = claim("cosine between the gradient before and after clipping (direction kept)", cosine, 0.9999, 1.0001, fmt=".4f")

# %% [markdown]
# # Exercises
#
# Every activation exercise follows the `coursekit.functional` contract: `*_forward(x)` returns
# `(out, cache)`, where the cache is anything your backward pass needs (you choose), and
# `*_backward(dout, cache)` returns `dx = dout * f'(x)`, an array of `x`'s shape. Arrays may have any shape;
# work elementwise with NumPy, do not loop, and never modify an input array in place (the hidden tests check
# that every input is unchanged after your forward and backward passes). The tests compare with known values
# and gradient-check your backward pass against central differences (`coursekit.grading.assert_gradient`).
#
# **Derive, then code.** Where an exercise says *derive*, the text gives the function and not its derivative:
# work it out on paper with the chain rule first, then implement it. The hidden tests compare with the
# reference on random arrays, at both signs and far from 0, so a derivative that is right only near 0 fails.
# Exercises 7 (PReLU) and 9 (Maxout backward) carry the most points: each needs several steps of reasoning,
# not a formula; Experiment D then trains networks with your PReLU and your Maxout.
#
# **What you may use.** NumPy (`np.exp`, `np.tanh`, `np.maximum`, `np.where`, ...), `scipy.special.erf` and
# `erfc`, and your own answers to earlier exercises. Not the library versions of the function an exercise asks
# for: `coursekit.functional`'s and `coursekit.nn`'s activations, torch's (including `torch.nn.functional` and
# autograd for a backward pass), SciPy's `expit` and its normal CDF (`scipy.special.ndtr`, `scipy.stats`),
# `coursekit.optim.clip_grad_norm_`. Calling one from your answer raises an error that names it, and at grading
# it scores that exercise 0.
#
# ### Exercise 1: sigmoid, and its derivative (2 points)
#
# Implement $\sigma(x) = 1/(1 + e^{-x})$ and its backward pass $dx = dout\cdot\sigma'(x)$. **Derive**
# $\sigma'(x)$ and write it with $\sigma(x)$ alone, so that the cache holds only the forward output and the
# backward pass computes no exponential. The forward pass must be **numerically stable**: `np.exp(-x)`
# overflows for $x = -1000$ (NumPy warns, and under `np.errstate(over="raise")` it fails; the tests run it so).
# Compute it from $e^{-|x|}$, which never overflows (for $x < 0$, multiply numerator and denominator by $e^{x}$).


# %% solution id=sigmoid forbid=coursekit.functional.sigmoid_forward,coursekit.functional.sigmoid_backward,coursekit.nn.Sigmoid,scipy.special.expit,torch.sigmoid,torch.special.expit,torch.nn.functional,torch.autograd
def sigmoid_forward(x):
    """Stable sigmoid. x: any shape. Returns (out, cache), out of x's shape in [0, 1]."""
    ### BEGIN SOLUTION
    z = np.exp(-np.abs(x))
    out = np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))
    return out, out
    ### END SOLUTION


def sigmoid_backward(dout, cache):
    """dx = dout * sigma'(x), of dout's shape, from the cache alone (no exp)."""
    ### BEGIN SOLUTION
    out = cache
    return dout * out * (1.0 - out)
    ### END SOLUTION


# %% tests id=test_sigmoid points=2
from coursekit.grading import assert_close, assert_gradient

out, cache = sigmoid_forward(np.array([-10.0, 0.0, 10.0]))
assert_close(out, [4.5397868702434395e-05, 0.5, 0.9999546021312976], name="sigmoid_forward([-10, 0, 10])")
dx = sigmoid_backward(np.array([1.0, 1.0, 1.0]), cache)
assert_close(
    dx,
    [4.5395807735951673e-05, 0.25, 4.5395807735907655e-05],
    rtol=1e-6,
    name="sigmoid_backward(ones) at [-10, 0, 10] (the slope sigma')",
)
try:
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        out, cache = sigmoid_forward(np.array([-1000.0, 1000.0]))
        dx = sigmoid_backward(np.array([1.0, 1.0]), cache)
except FloatingPointError as err:
    raise AssertionError(f"sigmoid at x = ±1000 overflows ({err}): compute it from exp(-|x|)") from None
assert_close(out, [0.0, 1.0], name="sigmoid_forward([-1000, 1000])")
assert_close(dx, [0.0, 0.0], name="sigmoid_backward at x = ±1000")
x = np.random.default_rng(0).normal(0.0, 3.0, size=(4, 5))
dout = np.random.default_rng(1).standard_normal((4, 5))
assert_gradient(
    sigmoid_backward(dout, sigmoid_forward(x)[1]),
    lambda v: sigmoid_forward(v)[0],
    x,
    dout=dout,
    name="sigmoid_backward", own=True
)
### BEGIN HIDDEN TESTS
rng = np.random.default_rng(10)
x = rng.normal(0.0, 20.0, size=(3, 4, 5))
x_copy = x.copy()
dout = rng.standard_normal((3, 4, 5))
out, cache = sigmoid_forward(x)
assert_close(x, x_copy, name="x after sigmoid_forward (do not modify the input)")
ref, ref_cache = F.sigmoid_forward(x)
assert_close(out, ref, name="sigmoid_forward on a (3, 4, 5) array")
assert_close(sigmoid_backward(dout, cache), F.sigmoid_backward(dout, ref_cache), name="sigmoid_backward, random dout")
with np.errstate(over="raise", invalid="raise", divide="raise"):
    far = np.array([-800.0, -50.0, -1e-3, 1e-3, 50.0, 800.0])
    assert_close(sigmoid_forward(far)[0], F.sigmoid_forward(far)[0], name="sigmoid_forward far from 0")
### END HIDDEN TESTS

# %% [markdown]
# ### Exercise 2: tanh, and its derivative (1 point)
#
# Implement $\tanh$ (you may use `np.tanh`) and its backward pass $dx = dout\cdot\tanh'(x)$. **Derive**
# $\tanh'(x)$ (from $\tanh = \sinh/\cosh$, or from $\tanh(x) = 2\sigma(2x) - 1$ and Exercise 1) and write it
# with $\tanh(x)$ alone. It must not return NaN at $x = \pm 1000$ (the textbook formula
# $(e^x - e^{-x})/(e^x + e^{-x})$ does).


# %% solution id=tanh forbid=coursekit.functional.tanh_forward,coursekit.functional.tanh_backward,coursekit.nn.Tanh,torch.tanh,torch.nn.functional,torch.autograd
def tanh_forward(x):
    """tanh, elementwise. x: any shape. Returns (out, cache)."""
    ### BEGIN SOLUTION
    out = np.tanh(x)
    return out, out
    ### END SOLUTION


def tanh_backward(dout, cache):
    """dx = dout * tanh'(x), of dout's shape, from the cache alone."""
    ### BEGIN SOLUTION
    return dout * (1.0 - cache**2)
    ### END SOLUTION


# %% tests id=test_tanh points=1
from coursekit.grading import assert_close, assert_gradient

out, cache = tanh_forward(np.array([-1.0, 0.0, 1.0]))
assert_close(out, [-0.7615941559557649, 0.0, 0.7615941559557649], name="tanh_forward([-1, 0, 1])")
assert_close(
    tanh_backward(np.array([1.0, 1.0, 1.0]), cache),
    [0.41997434161402614, 1.0, 0.41997434161402614],
    name="tanh_backward(ones) at [-1, 0, 1] (the slope tanh')",
)
x = np.random.default_rng(0).normal(0.0, 2.0, size=(4, 5))
dout = np.random.default_rng(1).standard_normal((4, 5))
assert_gradient(
    tanh_backward(dout, tanh_forward(x)[1]), lambda v: tanh_forward(v)[0], x, dout=dout, name="tanh_backward", own=True
)
### BEGIN HIDDEN TESTS
rng = np.random.default_rng(11)
x = rng.normal(0.0, 5.0, size=(2, 3, 7))
x_copy = x.copy()
dout = rng.standard_normal(x.shape)
out, cache = tanh_forward(x)
assert_close(x, x_copy, name="x after tanh_forward (do not modify the input)")
ref, ref_cache = F.tanh_forward(x)
assert_close(out, ref, name="tanh_forward on a (2, 3, 7) array")
assert_close(tanh_backward(dout, cache), F.tanh_backward(dout, ref_cache), name="tanh_backward, random dout")
with np.errstate(all="ignore"):
    out, cache = tanh_forward(np.array([-1000.0, 1000.0]))
    dx = tanh_backward(np.array([1.0, 1.0]), cache)
assert_close(out, [-1.0, 1.0], name="tanh_forward([-1000, 1000])")
assert_close(dx, [0.0, 0.0], name="tanh_backward at ±1000")
### END HIDDEN TESTS

# %% [markdown]
# ### Exercise 3: ReLU (1 point)
#
# Implement $\max(0, x)$ and its backward pass: the upstream gradient passes where $x > 0$ and is
# zeroed where $x \le 0$ (at the kink $x = 0$ the gradient is 0, as in PyTorch).


# %% solution id=relu forbid=coursekit.functional.relu_forward,coursekit.functional.relu_backward,coursekit.functional.leaky_relu_forward,coursekit.functional.leaky_relu_backward,coursekit.functional.prelu_forward,coursekit.functional.prelu_backward,coursekit.nn.ReLU,torch.relu,torch.nn.functional,torch.autograd
def relu_forward(x):
    """max(0, x), elementwise. x: any shape. Returns (out, cache). Does not modify x."""
    ### BEGIN SOLUTION
    return np.maximum(x, 0.0), x
    ### END SOLUTION


def relu_backward(dout, cache):
    """dx = dout where x > 0, 0 elsewhere (including x == 0)."""
    ### BEGIN SOLUTION
    x = cache
    return dout * (x > 0)
    ### END SOLUTION


# %% tests id=test_relu points=1
from coursekit.grading import assert_close, assert_gradient

out, cache = relu_forward(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
assert_close(out, [0.0, 0.0, 0.0, 0.5, 2.0], name="relu_forward([-2, -0.5, 0, 0.5, 2])")
assert_close(
    relu_backward(np.array([1.0, 2.0, 3.0, 4.0, 5.0]), cache),
    [0.0, 0.0, 0.0, 4.0, 5.0],
    name="relu_backward(dout=[1, 2, 3, 4, 5]) at x = [-2, -0.5, 0, 0.5, 2]",
)
x = np.random.default_rng(0).standard_normal((4, 5))
x[np.abs(x) < 0.05] = 0.5  # stay away from the kink, where central differences are wrong
dout = np.random.default_rng(1).standard_normal((4, 5))
assert_gradient(
    relu_backward(dout, relu_forward(x)[1]), lambda v: relu_forward(v)[0], x, dout=dout, name="relu_backward", own=True
)
### BEGIN HIDDEN TESTS
rng = np.random.default_rng(12)
x = rng.standard_normal((3, 4, 5))
x_copy = x.copy()
dout = rng.standard_normal(x.shape)
out, cache = relu_forward(x)
assert_close(x, x_copy, name="x after relu_forward (do not modify the input)")
assert_close(out, F.relu_forward(x)[0], name="relu_forward on a (3, 4, 5) array")
assert_close(
    relu_backward(dout, cache),
    F.relu_backward(dout, F.relu_forward(x)[1]),
    name="relu_backward with a dout of both signs",
)
### END HIDDEN TESTS

# %% [markdown]
# ### Exercise 4: Leaky ReLU (1 point)
#
# Implement $x$ for $x > 0$ and $\alpha x$ otherwise, with the slope `alpha` an argument that defaults to
# 0.01 (the lecture's $\max(0.01x, x)$), and its backward pass ($dx = dout$ where $x > 0$, $\alpha\cdot dout$ elsewhere).


# %% solution id=leaky_relu forbid=coursekit.functional.leaky_relu_forward,coursekit.functional.leaky_relu_backward,coursekit.functional.prelu_forward,coursekit.functional.prelu_backward,coursekit.nn.LeakyReLU,coursekit.nn.PReLU,torch.nn.functional,torch.autograd
def leaky_relu_forward(x, alpha=0.01):
    """x where x > 0, alpha * x elsewhere. Returns (out, cache)."""
    ### BEGIN SOLUTION
    return np.where(x > 0, x, alpha * x), (x, alpha)
    ### END SOLUTION


def leaky_relu_backward(dout, cache):
    """dx = dout where x > 0, alpha * dout elsewhere."""
    ### BEGIN SOLUTION
    x, alpha = cache
    return dout * np.where(x > 0, 1.0, alpha)
    ### END SOLUTION


# %% tests id=test_leaky_relu points=1
from coursekit.grading import assert_close, assert_gradient

x = np.array([-2.0, -0.5, 0.5, 2.0])
out, cache = leaky_relu_forward(x)
assert_close(out, [-0.02, -0.005, 0.5, 2.0], name="leaky_relu_forward([-2, -0.5, 0.5, 2]) with the default alpha")
assert_close(
    leaky_relu_backward(np.ones(4), cache), [0.01, 0.01, 1.0, 1.0], name="leaky_relu_backward(ones), default alpha"
)
out, cache = leaky_relu_forward(x, alpha=0.2)
assert_close(out, [-0.4, -0.1, 0.5, 2.0], name="leaky_relu_forward(x, alpha=0.2)")
assert_close(leaky_relu_backward(np.ones(4), cache), [0.2, 0.2, 1.0, 1.0], name="leaky_relu_backward, alpha=0.2")
### BEGIN HIDDEN TESTS
rng = np.random.default_rng(13)
x = rng.standard_normal((3, 6))
x[np.abs(x) < 0.05] = -0.5
x_copy = x.copy()
dout = rng.standard_normal(x.shape)
out, cache = leaky_relu_forward(x, alpha=0.3)
assert_close(x, x_copy, name="x after leaky_relu_forward (do not modify the input)")
assert_close(out, F.leaky_relu_forward(x, alpha=0.3)[0], name="leaky_relu_forward(x, alpha=0.3)")
assert_gradient(
    leaky_relu_backward(dout, cache),
    lambda v: leaky_relu_forward(v, alpha=0.3)[0],
    x,
    dout=dout,
    name="leaky_relu_backward, alpha=0.3", own=True
)
### END HIDDEN TESTS

# %% [markdown]
# ### Exercise 5: ELU, and its derivative (2 points)
#
# Implement $\mathrm{elu}(x) = x$ for $x > 0$ and $\alpha(e^x - 1)$ for $x \le 0$ (any $\alpha \ge 0$), and its
# backward pass $dx = dout\cdot\mathrm{elu}'(x)$. **Derive** $\mathrm{elu}'$ on the negative side and write it
# with the forward output $\mathrm{elu}(x)$ and $\alpha$, so that the backward pass computes no exponential
# (at $x = 0$ use the negative side, as PyTorch does). Careful with `np.where`: it
# evaluates **both** branches everywhere, so `np.exp(x)` overflows at $x = 1000$ even though that branch is
# thrown away. Take the exponential of `np.minimum(x, 0)` instead (`np.expm1(v)` computes $e^v - 1$ accurately).


# %% solution id=elu forbid=coursekit.functional.elu_forward,coursekit.functional.elu_backward,coursekit.functional.selu_forward,coursekit.functional.selu_backward,coursekit.nn.ELU,torch.nn.functional,torch.autograd
def elu_forward(x, alpha=1.0):
    """x where x > 0, alpha * (exp(x) - 1) elsewhere. Returns (out, cache). No overflow for large x."""
    ### BEGIN SOLUTION
    out = np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0.0)))
    return out, (x, out, alpha)
    ### END SOLUTION


def elu_backward(dout, cache):
    """dx = dout * elu'(x), of dout's shape, from the cache (forward output and alpha; no exp)."""
    ### BEGIN SOLUTION
    x, out, alpha = cache
    return dout * np.where(x > 0, 1.0, out + alpha)
    ### END SOLUTION


# %% tests id=test_elu points=2
from coursekit.grading import assert_close, assert_gradient

out, cache = elu_forward(np.array([-1.0, 2.0]))
assert_close(out, [np.exp(-1.0) - 1.0, 2.0], name="elu_forward([-1, 2])")
assert_close(
    elu_backward(np.array([1.0, 1.0]), cache), [0.36787944117144233, 1.0], name="elu_backward(ones) at [-1, 2]"
)
out, cache = elu_forward(np.array([-2.0, -1.0, 3.0]), alpha=0.5)
assert_close(out, [0.5 * (np.exp(-2.0) - 1.0), 0.5 * (np.exp(-1.0) - 1.0), 3.0], name="elu_forward(x, alpha=0.5)")
try:
    with np.errstate(over="raise", invalid="raise"):
        big = elu_forward(np.array([1000.0]))[0]
except FloatingPointError as err:
    raise AssertionError(f"elu_forward(1000) overflows ({err}): exponentiate np.minimum(x, 0)") from None
assert_close(big, [1000.0], name="elu_forward([1000])")
x = np.random.default_rng(0).normal(0.0, 2.0, size=(4, 5))
x[np.abs(x) < 0.05] = -0.5
dout = np.random.default_rng(1).standard_normal((4, 5))
assert_gradient(
    elu_backward(dout, elu_forward(x)[1]), lambda v: elu_forward(v)[0], x, dout=dout, name="elu_backward (alpha=1)", own=True
)
### BEGIN HIDDEN TESTS
rng = np.random.default_rng(14)
x = rng.normal(0.0, 3.0, size=(3, 4, 5))
x[np.abs(x) < 0.05] = -0.5
x_copy = x.copy()
dout = rng.standard_normal(x.shape)
for a in (0.5, 2.0):
    out, cache = elu_forward(x, alpha=a)
    assert_close(x, x_copy, name="x after elu_forward (do not modify the input)")
    assert_close(out, F.elu_forward(x, alpha=a)[0], name=f"elu_forward(x, alpha={a})")
    assert_close(
        elu_backward(dout, cache), F.elu_backward(dout, F.elu_forward(x, alpha=a)[1]), name=f"elu_backward, alpha={a}"
    )
    assert_gradient(
        elu_backward(dout, cache),
        lambda v, a=a: elu_forward(v, alpha=a)[0],
        x,
        dout=dout,
        name=f"elu_backward, alpha={a}", own=True
    )
### END HIDDEN TESTS

# %% [markdown]
# ### Exercise 6: SELU (1 point)
#
# Implement $\mathrm{selu}(x) = \lambda\,\mathrm{elu}_\alpha(x)$ with the constants below (the values of
# `torch.nn.SELU`), and its backward pass. You may call your `elu_forward` / `elu_backward`.

# %% solution id=selu forbid=coursekit.functional.selu_forward,coursekit.functional.selu_backward,coursekit.functional.elu_forward,coursekit.functional.elu_backward,coursekit.nn.SELU,coursekit.nn.ELU,torch.selu,torch.nn.functional,torch.autograd
SELU_LAMBDA = 1.0507009873554805
SELU_ALPHA = 1.6732632423543772


def selu_forward(x):
    """lambda * (x if x > 0 else alpha * (exp(x) - 1)). Returns (out, cache)."""
    ### BEGIN SOLUTION
    out, cache = elu_forward(x, alpha=SELU_ALPHA)
    return SELU_LAMBDA * out, cache
    ### END SOLUTION


def selu_backward(dout, cache):
    """dx = dout * lambda * elu'(x)."""
    ### BEGIN SOLUTION
    return SELU_LAMBDA * elu_backward(dout, cache)
    ### END SOLUTION


# %% tests id=test_selu points=1
from coursekit.grading import assert_close, assert_gradient

lam, alp = 1.0507009873554805, 1.6732632423543772
out, cache = selu_forward(np.array([-1.0, 1.0]))
assert_close(out, [lam * alp * (np.exp(-1.0) - 1.0), lam], name="selu_forward([-1, 1])")
assert_close(
    selu_backward(np.array([1.0, 1.0]), cache), [0.646768603034814, lam], name="selu_backward(ones) at [-1, 1]"
)
x = np.random.default_rng(0).normal(0.0, 2.0, size=(4, 5))
x[np.abs(x) < 0.05] = 0.5
dout = np.random.default_rng(1).standard_normal((4, 5))
assert_gradient(
    selu_backward(dout, selu_forward(x)[1]), lambda v: selu_forward(v)[0], x, dout=dout, name="selu_backward", own=True
)
### BEGIN HIDDEN TESTS
rng = np.random.default_rng(15)
x = rng.normal(0.0, 3.0, size=(5, 6))
x_copy = x.copy()
dout = rng.standard_normal(x.shape)
out, cache = selu_forward(x)
assert_close(x, x_copy, name="x after selu_forward (do not modify the input)")
assert_close(out, F.selu_forward(x)[0], name="selu_forward on a (5, 6) array")
assert_close(selu_backward(dout, cache), F.selu_backward(dout, F.selu_forward(x)[1]), name="selu_backward")
### END HIDDEN TESTS

# %% [markdown]
# ### Exercise 7: PReLU, forward and backward with a learned slope (6 points)
#
# A PReLU layer computes $y = x$ where $x > 0$ and $y = \alpha_c\, x$ where $x \le 0$, with one learned slope
# $\alpha_c$ per **channel** $c$, the channel being axis 1 of `x`: `x` is `(N, C)` for a fully connected layer or
# `(N, C, H, W)` for a convolutional one, and `alpha` has shape `(C,)`, as in `torch.nn.PReLU(C)`. Two shared
# forms too: `alpha` of shape `(1,)` is **one** slope shared by every channel, as in `torch.nn.PReLU()` (its
# default, whatever `C` is), and a single Python float is shared by every element (then `x` may have any shape).
#
# * `prelu_forward(x, alpha)` returns `(out, cache)`; `out` has `x`'s shape.
# * `prelu_backward(dout, cache)` returns `(dx, dalpha)`: `dx` of `x`'s shape, and `dalpha`
#   $= \partial L/\partial\alpha$ of **`alpha`'s shape** (`(C,)`, `(1,)`, or a single number when `alpha` was a
#   float).
#
# **Derive** both gradients before you code them. For $dx$ the slope on each side is all you need (at $x = 0$ use
# the negative side, as PyTorch does). For $d\alpha_c$, ask which elements of `out` depend on $\alpha_c$ (think of
# every sample and, for images, every pixel of channel $c$), what $\partial y/\partial\alpha_c$ is for each, and
# how the chain rule combines them with `dout`; then ask the same for one slope shared by every channel. The tests
# check `(N, C)` and `(N, C, H, W)` inputs with per-channel slopes, a shared `(1,)` slope, a float slope, inputs
# exactly at 0, both gradients against central differences and (hidden)
# PyTorch autograd, and that neither `x` nor `alpha` is modified. NumPy only, no loop over samples or pixels.


# %% solution id=prelu forbid=coursekit.functional.prelu_forward,coursekit.functional.prelu_backward,coursekit.functional.leaky_relu_forward,coursekit.functional.leaky_relu_backward,coursekit.nn.PReLU,torch.prelu,torch.nn.functional,torch.autograd
def prelu_forward(x, alpha):
    """PReLU. x: (N, C, ...) (any shape for a float alpha); alpha: float, (1,) or (C,). Returns (out, cache)."""
    ### BEGIN SOLUTION
    a = np.asarray(alpha, dtype=float)
    if a.size > 1:  # one slope per channel, axis 1: shape (1, C, 1, ...) broadcasts over the rest
        a = a.reshape((1, -1) + (1,) * (x.ndim - 2))
    return np.where(x > 0, x, a * x), (x, a, np.shape(alpha))
    ### END SOLUTION


def prelu_backward(dout, cache):
    """Returns (dx, dalpha): dx of x's shape, dalpha of alpha's shape (a number for a float alpha)."""
    ### BEGIN SOLUTION
    x, a, alpha_shape = cache
    dx = dout * np.where(x > 0, 1.0, a)
    contrib = np.where(x > 0, 0.0, dout * x)  # dy/dalpha_c = x on the negative side, 0 elsewhere
    shared = tuple(i for i in range(x.ndim) if a.size == 1 or i != 1)  # every axis alpha is shared across
    return dx, contrib.sum(axis=shared).reshape(alpha_shape)
    ### END SOLUTION


# %% tests id=test_prelu points=6
from coursekit.grading import assert_close, assert_gradient, assert_shape

x = np.array([[-1.0, 2.0], [-3.0, -0.5], [4.0, 1.0]])  # N = 3 samples, C = 2 channels
alpha = np.array([0.25, 0.1])
out, cache = prelu_forward(x, alpha)
assert_close(out, [[-0.25, 2.0], [-0.75, -0.05], [4.0, 1.0]], name="prelu_forward, (3, 2) x, alpha = [0.25, 0.1]")
dx, dalpha = prelu_backward(np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]), cache)
assert_close(dx, [[0.25, 2.0], [0.75, 0.4], [5.0, 6.0]], name="prelu_backward: dx, dout = [[1, 2], [3, 4], [5, 6]]")
assert_shape(dalpha, (2,), name="prelu_backward: dalpha (one per channel, alpha's shape)")
assert_close(dalpha, [-10.0, -2.0], name="prelu_backward: dalpha, dout = [[1, 2], [3, 4], [5, 6]]")

rng = np.random.default_rng(0)
x = rng.standard_normal((4, 3, 2, 5))  # images: N = 4, C = 3 channels of 2 x 5 pixels
x[np.abs(x) < 0.05] = 0.5  # away from the kink, where central differences are wrong
alpha, dout = np.array([0.2, 0.05, 0.6]), rng.standard_normal(x.shape)
dx, dalpha = prelu_backward(dout, prelu_forward(x, alpha)[1])
assert_shape(dalpha, (3,), name="prelu_backward: dalpha for (4, 3, 2, 5) images and 3 slopes")
assert_gradient(dx, lambda v: prelu_forward(v, alpha)[0], x, dout=dout, name="prelu_backward: dx, (4, 3, 2, 5) x", own=True)
assert_gradient(
    dalpha, lambda a: prelu_forward(x, a)[0], alpha, dout=dout, name="prelu_backward: dalpha, (4, 3, 2, 5) x", own=True
)

out, cache = prelu_forward(np.array([[-2.0, 3.0, -1.0]]), 0.5)
dx, dalpha = prelu_backward(np.array([[1.0, 1.0, 2.0]]), cache)
assert_close(out, [[-1.0, 3.0, -0.5]], name="prelu_forward with a float alpha = 0.5")
assert_close(dalpha, -4.0, name="prelu_backward: dalpha for a float alpha (one number)")

x = np.array([[-1.0, 2.0, -2.0], [-3.0, -0.5, 1.0]])  # C = 3 channels, one shared slope
out, cache = prelu_forward(x, np.array([0.5]))
dx, dalpha = prelu_backward(np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]), cache)
assert_close(out, [[-0.5, 2.0, -1.0], [-1.5, -0.25, 1.0]], name="prelu_forward, (2, 3) x, shared alpha = [0.5]")
assert_shape(dalpha, (1,), name="prelu_backward: dalpha for a shared (1,) alpha and 3 channels")
assert_close(dalpha, [-21.5], name="prelu_backward: dalpha for a shared (1,) alpha, dout = [[1, 2, 3], [4, 5, 6]]")
### BEGIN HIDDEN TESTS
import torch

rng = np.random.default_rng(19)


def torch_prelu_grads(x, alpha, dout):
    tx = torch.tensor(x, requires_grad=True)
    ta = torch.tensor(np.atleast_1d(alpha), requires_grad=True)
    y = torch.where(tx > 0, tx, ta.reshape((1, -1) + (1,) * (x.ndim - 2)) * tx)
    y.backward(torch.tensor(dout))
    return y.detach().numpy(), tx.grad.numpy(), ta.grad.numpy()


for shape in ((6, 4), (3, 4, 2, 5), (2, 4, 7)):
    x = rng.standard_normal(shape)
    x.flat[::7] = 0.0  # exactly at the kink: the negative side's slope
    alpha = rng.uniform(-0.3, 0.8, size=4)
    dout = rng.standard_normal(shape)
    x_copy, alpha_copy = x.copy(), alpha.copy()
    out, cache = prelu_forward(x, alpha)
    dx, dalpha = prelu_backward(dout, cache)
    assert_close(x, x_copy, name=f"x after prelu_forward/backward, {shape} (do not modify the input)")
    assert_close(alpha, alpha_copy, name=f"alpha after prelu_forward/backward, {shape} (do not modify it)")
    t_out, t_dx, t_dalpha = torch_prelu_grads(x, alpha, dout)
    assert_close(out, t_out, rtol=1e-10, name=f"prelu_forward, {shape} x, per-channel alpha (torch)")
    assert_close(dx, t_dx, rtol=1e-10, name=f"prelu_backward: dx, {shape} x (torch autograd)")
    assert_shape(dalpha, (4,), name=f"prelu_backward: dalpha, {shape} x")
    assert_close(dalpha, t_dalpha, rtol=1e-10, name=f"prelu_backward: dalpha, {shape} x (torch autograd)")
x, dout = rng.standard_normal((3, 4, 2, 2)), rng.standard_normal((3, 4, 2, 2))
out, cache = prelu_forward(x, 0.3)
dx, dalpha = prelu_backward(dout, cache)
t_out, t_dx, t_dalpha = torch_prelu_grads(x, 0.3, dout)
assert_close(out, t_out, rtol=1e-10, name="prelu_forward, float alpha, (3, 4, 2, 2) x")
assert_close(dx, t_dx, rtol=1e-10, name="prelu_backward: dx, float alpha, (3, 4, 2, 2) x")
assert_close(np.ndim(dalpha), 0, name="number of dimensions of dalpha for a float alpha")
assert_close(dalpha, t_dalpha[0], rtol=1e-10, name="prelu_backward: dalpha, float alpha, (3, 4, 2, 2) x")
for shape in ((5, 4), (3, 4, 2, 5)):  # one slope shared by 4 channels
    x, dout, shared = rng.standard_normal(shape), rng.standard_normal(shape), np.array([0.15])
    out, cache = prelu_forward(x, shared)
    dx, dalpha = prelu_backward(dout, cache)
    t_out, t_dx, t_dalpha = torch_prelu_grads(x, shared, dout)
    assert_close(out, t_out, rtol=1e-10, name=f"prelu_forward, {shape} x, shared (1,) alpha (torch)")
    assert_close(dx, t_dx, rtol=1e-10, name=f"prelu_backward: dx, {shape} x, shared (1,) alpha (torch autograd)")
    assert_shape(dalpha, (1,), name=f"prelu_backward: dalpha, {shape} x, shared (1,) alpha")
    assert_close(dalpha, t_dalpha, rtol=1e-10, name=f"prelu_backward: dalpha, {shape} x, shared (1,) alpha (torch)")
### END HIDDEN TESTS

# %% [markdown]
# ### Exercise 8: Maxout forward (1 point)
#
# Implement a layer of $M$ maxout units with $K$ pieces each:
# $\mathrm{out}_{nm} = \max_k \big(x_n \cdot W_{:, m, k} + b_{m, k}\big)$.
# Shapes: `x` `(N, D)`, `w` `(D, M, K)`, `b` `(M, K)`, `out` `(N, M)`. Return `(out, cache)`, with in the cache
# whatever your backward pass (Exercise 9) will need. Hint: `np.einsum("nd,dmk->nmk", x, w)` or
# `np.tensordot(x, w, axes=1)` gives all $N \times M \times K$ piece values at once.


# %% solution id=maxout forbid=coursekit.functional.maxout_forward,coursekit.nn.Maxout,torch.nn.functional,torch.autograd
def maxout_forward(x, w, b):
    """Maxout layer. x: (N, D), w: (D, M, K), b: (M, K). Returns (out, cache), out: (N, M)."""
    ### BEGIN SOLUTION
    z = np.tensordot(x, w, axes=1) + b  # (N, M, K)
    winner = z.argmax(axis=2)  # (N, M); ties: the first piece, as torch.max
    out = np.take_along_axis(z, winner[..., None], axis=2)[..., 0]
    return out, (x, w, winner)
    ### END SOLUTION


# %% tests id=test_maxout points=1
from coursekit.grading import assert_close, assert_shape

x = np.array([[1.0, 2.0]])
w = np.zeros((2, 1, 2))
w[:, 0, 0] = [1.0, 1.0]  # piece 0: x1 + x2
w[:, 0, 1] = [2.0, -1.0]  # piece 1: 2 x1 - x2
b = np.array([[0.0, 5.0]])
assert_close(maxout_forward(x, w, b)[0], [[5.0]], name="maxout_forward of pieces x1+x2 = 3 and 2x1-x2+5 = 5")
rng = np.random.default_rng(0)
x, w, b = rng.standard_normal((6, 3)), rng.standard_normal((3, 4, 2)), rng.standard_normal((4, 2))
out = maxout_forward(x, w, b)[0]
assert_shape(out, (6, 4), name="maxout_forward(x (6, 3), w (3, 4, 2), b (4, 2))")
assert_close(out, F.maxout_forward(x, w, b)[0], name="maxout_forward on random (6, 3) input, M=4 units, K=2 pieces")
### BEGIN HIDDEN TESTS
rng = np.random.default_rng(16)
x, w, b = rng.standard_normal((7, 5)), rng.standard_normal((5, 3, 4)), rng.standard_normal((3, 4))
x_copy, w_copy, b_copy = x.copy(), w.copy(), b.copy()
assert_close(maxout_forward(x, w, b)[0], F.maxout_forward(x, w, b)[0], name="maxout_forward with M=3 units, K=4")
assert_close(x, x_copy, name="x after maxout_forward (do not modify the input)")
assert_close(w, w_copy, name="w after maxout_forward (do not modify it)")
assert_close(b, b_copy, name="b after maxout_forward (do not modify it)")
w2 = np.stack([np.zeros((5, 3)), w[:, :, 0]], axis=2)
b2 = np.stack([np.zeros(3), b[:, 0]], axis=1)
assert_close(
    maxout_forward(x, w2, b2)[0], np.maximum(x @ w[:, :, 0] + b[:, 0], 0.0), name="maxout with a zero piece (= ReLU)"
)
### END HIDDEN TESTS

# %% [markdown]
# ### Exercise 9: Maxout backward (5 points)
#
# Implement `maxout_backward(dout, cache)` for your `maxout_forward`: given `dout` $= \partial L/\partial\,
# \mathrm{out}$ of shape `(N, M)`, return `(dx, dw, db)` of shapes `(N, D)`, `(D, M, K)` and `(M, K)`.
#
# Work it out in steps: the max of $K$ numbers has a gradient with respect to each of them (which one gets
# what, and why?); from the gradient of every piece value $z_{nmk}$ to `dw` and `db` (each piece is an affine
# function, like `linear_backward` in notebook 02); and to `dx`, where every unit and every piece that `x_n`
# feeds contributes. **Ties**: when several pieces share the maximum, the whole gradient goes to the first of them
# (the lowest $k$), as `np.argmax` chooses and as PyTorch's `max(dim=...)` does. The tests compare with central
# differences and (hidden) PyTorch autograd on a maxout built from torch operations, including ties and $K = 1$.
# NumPy only; no Python loop over samples.


# %% solution id=maxout_backward forbid=coursekit.functional.maxout_backward,coursekit.nn.Maxout,torch.nn.functional,torch.autograd
def maxout_backward(dout, cache):
    """Gradients of your maxout_forward. dout: (N, M). Returns (dx (N, D), dw (D, M, K), db (M, K))."""
    ### BEGIN SOLUTION
    x, w, winner = cache
    dz = np.zeros(winner.shape + (w.shape[2],))  # (N, M, K): zero for every piece that lost
    np.put_along_axis(dz, winner[..., None], dout[..., None], axis=2)
    dx = np.tensordot(dz, w, axes=([1, 2], [1, 2]))  # sum over units m and pieces k
    dw = np.tensordot(x, dz, axes=(0, 0))  # sum over samples n
    return dx, dw, dz.sum(axis=0)
    ### END SOLUTION


# %% tests id=test_maxout_backward points=5
from coursekit.grading import assert_close, assert_gradient, assert_shape

x = np.array([[1.0, 2.0]])
w = np.zeros((2, 1, 2))
w[:, 0, 0] = [1.0, 1.0]  # piece 0: x1 + x2 = 3
w[:, 0, 1] = [2.0, -1.0]  # piece 1: 2 x1 - x2 + 5 = 5, the winner
b = np.array([[0.0, 5.0]])
dx, dw, db = maxout_backward(np.array([[3.0]]), maxout_forward(x, w, b)[1])
assert_close(dx, [[6.0, -3.0]], name="maxout_backward: dx, one sample, one unit, dout = 3")
assert_close(dw, [[[0.0, 3.0]], [[0.0, 6.0]]], name="maxout_backward: dw (D=2, M=1, K=2), dout = 3")
assert_close(db, [[0.0, 3.0]], name="maxout_backward: db (M=1, K=2), dout = 3")

rng = np.random.default_rng(1)
x, w, b = rng.standard_normal((5, 3)), rng.standard_normal((3, 4, 3)), rng.standard_normal((4, 3))
dout = rng.standard_normal((5, 4))
dx, dw, db = maxout_backward(dout, maxout_forward(x, w, b)[1])
for got, shape, what in ((dx, (5, 3), "dx"), (dw, (3, 4, 3), "dw"), (db, (4, 3), "db")):
    assert_shape(got, shape, name=f"maxout_backward: {what} for x (5, 3), w (3, 4, 3), b (4, 3)")
assert_gradient(dx, lambda v: maxout_forward(v, w, b)[0], x, dout=dout, name="maxout_backward: dx", own=True)
assert_gradient(dw, lambda v: maxout_forward(x, v, b)[0], w, dout=dout, name="maxout_backward: dw", own=True)
assert_gradient(db, lambda v: maxout_forward(x, w, v)[0], b, dout=dout, name="maxout_backward: db", own=True)
### BEGIN HIDDEN TESTS
import torch


def torch_maxout_grads(x, w, b, dout):
    tx, tw, tb = (torch.tensor(a, requires_grad=True) for a in (x, w, b))
    z = torch.tensordot(tx, tw, dims=1) + tb  # (N, M, K)
    z.max(dim=2).values.backward(torch.tensor(dout))
    return tx.grad.numpy(), tw.grad.numpy(), tb.grad.numpy()


rng = np.random.default_rng(20)
for n, d, m, k in ((8, 5, 3, 4), (6, 4, 2, 1), (1, 3, 5, 2)):
    x, w, b = rng.standard_normal((n, d)), rng.standard_normal((d, m, k)), rng.standard_normal((m, k))
    dout = rng.standard_normal((n, m))
    copies = [a.copy() for a in (x, w, b, dout)]
    grads = maxout_backward(dout, maxout_forward(x, w, b)[1])
    for got, ref, what in zip(grads, torch_maxout_grads(x, w, b, dout), ("dx", "dw", "db"), strict=True):
        assert_close(got, ref, rtol=1e-10, atol=1e-12, name=f"maxout_backward: {what}, N={n} D={d} M={m} K={k} (torch)")
    for got, ref, what in zip((x, w, b, dout), copies, ("x", "w", "b", "dout"), strict=True):
        assert_close(got, ref, name=f"{what} after maxout_forward/backward (do not modify it)")
# ties: pieces 0 and 2 of unit 0 are the constant 1 (exactly equal), so they tie wherever they win
x, w, b = rng.standard_normal((6, 3)), rng.standard_normal((3, 2, 3)), rng.standard_normal((2, 3))
w[:, 0, 0], w[:, 0, 2], b[0, 0], b[0, 2] = 0.0, 0.0, 1.0, 1.0
dout = rng.standard_normal((6, 2))
grads = maxout_backward(dout, maxout_forward(x, w, b)[1])
for got, ref, what in zip(grads, torch_maxout_grads(x, w, b, dout), ("dx", "dw", "db"), strict=True):
    assert_close(got, ref, rtol=1e-10, atol=1e-12, name=f"maxout_backward with tied pieces: {what} (first piece wins)")
### END HIDDEN TESTS

# %% [markdown]
# ### Exercise 10: gradient clipping (1 point)
#
# Implement the lecture's rule for one gradient array:
# $\nabla W \leftarrow \nabla W \cdot \beta / \max(\lVert \nabla W \rVert, \beta)$, where $\lVert\cdot\rVert$ is the
# Euclidean (Frobenius) norm of the whole array. Return a **new** array; leave `grad` unchanged. The threshold
# must be positive (with $\beta = 0$ a zero gradient would give $0/0$): raise a `ValueError` that names `beta`
# when $\beta \le 0$.


# %% solution id=clip_gradient forbid=coursekit.optim.clip_grad_norm_,torch.nn.utils.clip_grad_norm_,torch.nn.utils.clip_grad_value_
def clip_gradient(grad, beta):
    """grad * beta / max(||grad||, beta). grad: any shape; returns an array of grad's shape."""
    ### BEGIN SOLUTION
    if not beta > 0:
        raise ValueError(f"clip_gradient: beta must be positive, got beta={beta}")
    return grad * (beta / max(np.linalg.norm(grad), beta))
    ### END SOLUTION


# %% tests id=test_clip_gradient points=1
from coursekit.grading import assert_close, assert_raises

assert_close(clip_gradient(np.array([3.0, 4.0]), 1.0), [0.6, 0.8], name="clip_gradient([3, 4], beta=1) (norm 5 -> 1)")
assert_close(
    clip_gradient(np.array([0.3, 0.4]), 1.0),
    [0.3, 0.4],
    name="clip_gradient([0.3, 0.4], beta=1) (norm 0.5 < beta: unchanged)",
)
g = np.array([[1.0, -2.0], [2.0, 4.0]])  # Frobenius norm 5
clipped = clip_gradient(g, 2.5)
assert_close(g, [[1.0, -2.0], [2.0, 4.0]], name="grad after clip_gradient (return a new array, do not clip in place)")
assert_close(clipped, [[0.5, -1.0], [1.0, 2.0]], name="clip_gradient of a (2, 2) matrix with norm 5, beta=2.5")
### BEGIN HIDDEN TESTS
rng = np.random.default_rng(17)
g = rng.standard_normal((6, 5)) * 10
g_copy = g.copy()
clipped = clip_gradient(g, 3.0)
assert_close(g, g_copy, name="grad after clip_gradient (return a new array, do not clip in place)")
assert_close(np.linalg.norm(clipped), 3.0, name="norm of the clipped gradient (should equal beta)")
assert_close(clipped, g * 3.0 / np.linalg.norm(g), name="clip_gradient of a random (6, 5) gradient, beta=3")
small = rng.standard_normal((4, 3)) * 0.01
assert_close(clip_gradient(small, 3.0), small, name="clip_gradient of a small gradient (unchanged)")
for bad in (0.0, -1.0):
    assert_raises(
        ValueError, clip_gradient, np.zeros(3), bad, mentions=("beta",), name=f"clip_gradient(grad, beta={bad})"
    )
### END HIDDEN TESTS

# %% [markdown]
# ### Exercise 11: how many ReLUs are dead? (1 point)
#
# Given the pre-activations `z` `(N, H)` of one ReLU layer for a batch of $N$ examples, return the fraction
# of the $H$ units that are **dead on this batch**: $z \le 0$ for *every* example, so the unit outputs 0 and
# passes no gradient for any of them. Return a Python float in $[0, 1]$. Experiment C uses it.


# %% solution id=dead_relu_fraction
def dead_relu_fraction(z):
    """Fraction of units (columns of z, shape (N, H)) with z <= 0 for every row."""
    ### BEGIN SOLUTION
    return float(np.mean(np.all(z <= 0, axis=0)))
    ### END SOLUTION


# %% tests id=test_dead_relu_fraction points=1
from coursekit.grading import assert_close

z = np.array([[-1.0, 2.0, -3.0, 0.5, -0.1], [-2.0, -1.0, -1.0, 0.2, -0.2], [-0.5, -4.0, -2.0, 0.1, -0.3]])
assert_close(dead_relu_fraction(z), 0.6, name="dead_relu_fraction: units 0, 2 and 4 are dead, 1 and 3 alive")
assert_close(dead_relu_fraction(np.ones((4, 3))), 0.0, name="dead_relu_fraction of an all-positive batch")
### BEGIN HIDDEN TESTS
z = np.array([[0.0, -1.0, 1.0, -1.0], [0.0, -1.0, -1.0, -2.0]])
assert_close(dead_relu_fraction(z), 0.75, name="dead_relu_fraction: a unit at exactly 0 passes no gradient (dead)")
z = -np.ones((10, 8))
z[3, 5] = 0.1
assert_close(dead_relu_fraction(z), 7 / 8, name="dead_relu_fraction: one positive example keeps a unit alive")
rng = np.random.default_rng(18)
z = rng.standard_normal((50, 40)) - np.repeat(np.array([[3.0, -3.0]]), 20, axis=1)
assert_close(dead_relu_fraction(z), float(np.mean(np.all(z <= 0, axis=0))), name="dead_relu_fraction, (50, 40)")
### END HIDDEN TESTS

# %% [markdown]
# ### Exercise 12: SiLU and GELU, with the derivatives you derive (3 points)
#
# Write the two modern defaults of section 9, $\mathrm{SiLU}(x) = x\,\sigma(x)$ and
# $\mathrm{GELU}(x) = x\,\Phi(x)$, forward and backward, in the same contract as Exercises 1–6:
# `silu_forward(x)`, `silu_backward(dout, cache)`, `gelu_forward(x)`, `gelu_backward(dout, cache)`.
#
# * **Derive** both derivatives: each is a product, and you know $\sigma'$ from Exercise 1; for GELU,
#   $\Phi' = \varphi$, the standard normal density $\varphi(x) = e^{-x^2/2}/\sqrt{2\pi}$. Write SiLU's
#   derivative with $x$ and $\sigma(x)$ only (your stable sigmoid of Exercise 1 may compute it).
# * **Compute $\Phi$ to full relative accuracy.** $\Phi(x) = \tfrac12\big(1 + \operatorname{erf}(x/\sqrt2)\big)$
#   is exact on paper, but in the left tail the sum $1 + \operatorname{erf}$ cancels (section 9 measures it: about
#   10 correct digits left at $x = -6$, 2 at $x = -8$, none from $-9$ on), so GELU of $-20$ (about
#   $-5.5\cdot10^{-88}$) would come out 0. Find a form of $\Phi$ without that
#   cancellation, with `scipy.special.erf` or `scipy.special.erfc` (PyTorch's own kernel uses the cancelling
#   form: the tests compare with it only where it is accurate).
# * No warnings and no `nan` for any finite input: the tests run your functions at $x = \pm 1000$ with
#   warnings turned into errors (NumPy warns when `exp` overflows; an underflow to 0 is silent and fine).
#
# The tests check values at a few points, GELU at $-20$ with relative tolerance $10^{-9}$, both backward passes
# against central differences, (hidden) PyTorch's values and autograd on random arrays of several shapes for
# $|x| \le 4$, the reference's values out to $|x| = 40$, and that no input is modified.


# %% solution id=silu_gelu forbid=coursekit.functional.silu_forward,coursekit.functional.silu_backward,coursekit.functional.gelu_forward,coursekit.functional.gelu_backward,coursekit.functional.sigmoid_forward,scipy.special.expit,scipy.special.ndtr,scipy.special.log_ndtr,scipy.stats,torch.nn.functional,torch.autograd,torch.sigmoid
def silu_forward(x):
    """x * sigmoid(x). x: any shape. Returns (out, cache)."""
    ### BEGIN SOLUTION
    s, _ = sigmoid_forward(x)
    return x * s, (x, s)
    ### END SOLUTION


def silu_backward(dout, cache):
    """dout * SiLU'(x), an array of x's shape."""
    ### BEGIN SOLUTION
    x, s = cache
    return dout * s * (1.0 + x * (1.0 - s))
    ### END SOLUTION


def gelu_forward(x):
    """x * Phi(x), Phi the standard normal CDF, accurate for negative x too. Returns (out, cache)."""
    ### BEGIN SOLUTION
    from scipy.special import erfc

    cdf = 0.5 * erfc(-x / np.sqrt(2.0))  # erfc(t) = 1 - erf(t), computed without the cancellation
    return x * cdf, (x, cdf)
    ### END SOLUTION


def gelu_backward(dout, cache):
    """dout * GELU'(x), an array of x's shape."""
    ### BEGIN SOLUTION
    x, cdf = cache
    with np.errstate(under="ignore"):
        pdf = np.exp(-0.5 * x * x) / np.sqrt(2.0 * np.pi)
    return dout * (cdf + x * pdf)
    ### END SOLUTION


# %% tests id=test_silu_gelu points=3
import warnings

from coursekit.grading import assert_close, assert_gradient

x = np.array([-2.0, 0.0, 3.0])
out, cache = silu_forward(x)
assert_close(out, [-0.2384058440442351, 0.0, 2.8577223804673], name="silu_forward([-2, 0, 3])")
assert_close(silu_backward(np.ones(3), cache), [-0.09078424878489547, 0.5, 1.0881041060151693],
             name="silu_backward at [-2, 0, 3] (dout = 1): SiLU'(x)")  # fmt: skip
x = np.array([-1.0, 0.0, 2.0])
out, cache = gelu_forward(x)
assert_close(out, [-0.15865525393145707, 0.0, 1.9544997361036416], name="gelu_forward([-1, 0, 2])")
assert_close(gelu_backward(np.ones(3), cache), [-0.08331547058768629, 0.5, 1.085231801078197],
             name="gelu_backward at [-1, 0, 2] (dout = 1): GELU'(x)")  # fmt: skip
assert_close(gelu_forward(np.array([-20.0]))[0], [-5.507248237212624e-88], rtol=1e-9, atol=0.0,
             name="gelu_forward(-20): relative accuracy in the left tail (no 1 + erf cancellation)")  # fmt: skip

rng = np.random.default_rng(3)
x, dout = rng.uniform(-4.0, 4.0, size=(4, 5)), rng.standard_normal((4, 5))
for forward, backward, name in ((silu_forward, silu_backward, "silu"), (gelu_forward, gelu_backward, "gelu")):
    dx = backward(dout, forward(x)[1])
    assert_gradient(dx, lambda v, f=forward: f(v)[0], x, dout=dout, name=f"{name}_backward, (4, 5) x", own=True)
    big = np.array([-1000.0, -40.0, 40.0, 1000.0])
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # an overflow in exp is an error here
            out, cache = forward(big)
            grad = backward(np.ones(4), cache)
    except (RuntimeWarning, FloatingPointError) as warning:
        raise AssertionError(f"{name}_forward/backward at x = -1000, -40, 40, 1000 warned: {warning}") from None
    assert_close(out, [0.0, 0.0, 40.0, 1000.0], name=f"{name}_forward at -1000, -40, 40, 1000")
    assert_close(grad, [0.0, 0.0, 1.0, 1.0], name=f"{name}_backward at -1000, -40, 40, 1000")
### BEGIN HIDDEN TESTS
import torch
from scipy.special import erfc as _erfc

rng = np.random.default_rng(112)
for shape in ((7,), (5, 6), (2, 3, 4, 5)):
    x, dout = rng.uniform(-4.0, 4.0, size=shape), rng.standard_normal(shape)
    x_copy, dout_copy = x.copy(), dout.copy()
    for forward, backward, t_fn, name in (
        (silu_forward, silu_backward, torch.nn.functional.silu, "silu"),
        (gelu_forward, gelu_backward, torch.nn.functional.gelu, "gelu"),
    ):
        out, cache = forward(x)
        dx = backward(dout, cache)
        tx = torch.tensor(x, requires_grad=True)
        ty = t_fn(tx)
        ty.backward(torch.tensor(dout))
        assert_close(out, ty.detach().numpy(), rtol=1e-10, atol=1e-12, name=f"{name}_forward, {shape} x (torch)")
        assert_close(dx, tx.grad.numpy(), rtol=1e-9, atol=1e-12, name=f"{name}_backward, {shape} x (torch autograd)")
        assert_close(x, x_copy, rtol=0, atol=0, name=f"x after {name}_forward/backward (do not modify it)")
        assert_close(dout, dout_copy, rtol=0, atol=0, name=f"dout after {name}_backward (do not modify it)")
tail = -np.geomspace(0.5, 40.0, 25)
cdf = 0.5 * _erfc(-tail / np.sqrt(2.0))
out, cache = gelu_forward(tail)
assert_close(out, tail * cdf, rtol=1e-9, atol=0.0, name="gelu_forward for x from -0.5 to -40 (relative accuracy)")
pdf = np.exp(-0.5 * tail**2) / np.sqrt(2.0 * np.pi)
assert_close(gelu_backward(np.ones(25), cache), cdf + tail * pdf, rtol=1e-8, atol=1e-300,
             name="gelu_backward for x from -0.5 to -40 (relative accuracy)")  # fmt: skip
v = np.linspace(-40.0, 40.0, 9)
assert_close(silu_forward(v)[0], v / (1.0 + np.exp(-v)), rtol=1e-10, atol=1e-300, name="silu_forward, x from -40 to 40")
### END HIDDEN TESTS

# %% [markdown]
# ### Question (3 points)
#
# You train a 20-layer fully connected classifier with SGD. Which activation do you choose for the hidden
# layers, and why? Which alternative would you try if training stalls or many units stop changing, and
# which problem from this notebook does each choice avoid? Why not the sigmoid? (4–8 sentences.)

# %% manual [markdown] id=q_which_activation points=3
# **Model answer.** ReLU: it does not saturate for positive inputs, so the gradient passes through the
# active units with factor 1 instead of being multiplied by $\sigma' \le 1/4$ at every layer (20 such factors
# would make the first layers' gradients vanish, section 10); it is cheap, and it trained faster than tanh in
# Krizhevsky et al. (2012) (and, at equal learning rates, in Experiment A). Its risk is dead units: with a
# too large learning rate (or
# an unlucky bias) a unit can become negative for every input and never recover, so I would use a moderate
# learning rate, He initialisation, and watch the dead fraction (Experiment C). If training stalls or units
# die, try Leaky ReLU/PReLU (a non-zero slope for $x<0$, so no unit dies), ELU (no dying, outputs closer to zero
# mean) or, for a deep fully connected net, SELU with LeCun-normal initialisation, which keeps activations
# near mean 0 / variance 1 through depth (Experiment B); Maxout also cannot die or saturate but doubles the
# parameters. Not the sigmoid: it saturates (vanishing gradients), its outputs are not zero-centred (all
# weight gradients of a unit share a sign, zig-zag updates) and `exp` is costly. Grading: a justified main
# choice (1), an alternative with the problem it solves (1), the sigmoid's problems (1).

# %% [markdown]
# # Experiments
#
# ## A. Does ReLU converge faster than tanh? (lecture: about 6×)
#
# Krizhevsky et al. (2012, Figure 1) trained a four-layer convolutional network on CIFAR-10 (50 000 colour
# images 32×32) and reached 25 % training error **six times faster** with ReLU than with tanh, each network with
# its own best learning rate and no regularisation. That takes far more than our 60-second budget, so we
# measure the same kind of quantity on a problem we can afford: the *same* fully connected network
# (64 → 64 → 64 → 10, Glorot/Xavier weights, identical initial weights and batch order for both) on the
# standardised digits, trained with plain SGD (batches of 64), counting the **epochs until the training loss
# (the mean over the epoch's batches) reaches 0.05**. We try five learning rates per activation, from 0.1 up
# to 10 (where training diverges, so that each activation's best rate lies *inside* the grid), and two seeds,
# and report the ratio at each learning rate and between the best learning rate of each
# (Krizhevsky's rule). A run whose loss climbs above 2.5 (worse than guessing) has diverged and is stopped.

# %% tags=heavy,nbval-ignore-output
TARGET, MAX_EPOCHS, RATES, SEEDS = 0.05, 25, (0.1, 0.3, 1.0, 3.0, 10.0), (0, 1)


def epochs_to_target(act, lr, seed):
    """Train mlp(act) with SGD until the epoch's training loss <= TARGET; return (epochs or None, losses)."""
    model = mlp(act, depth=2, width=64, seed=seed)
    loss, opt = nn.CrossEntropyLoss(), optim.SGD(model.parameters(), lr=lr)
    order = np.random.default_rng(100 + seed)  # the same batch order for tanh and ReLU
    losses = []
    for epoch in range(1, MAX_EPOCHS + 1):
        with np.errstate(all="ignore"):  # a diverging run overflows; we stop it below
            hist = train.fit(model, loss, opt, (X_std, y_digits), epochs=1, batch_size=64, progress=False, seed=order)
        losses.append(hist.train_loss[-1])
        if losses[-1] <= TARGET:
            return epoch, losses
        if not losses[-1] < 2.5:  # diverged (or NaN)
            return None, losses
    return None, losses


runs = {
    (act.__name__, lr, s): epochs_to_target(act, lr, s) for act in (nn.Tanh, nn.ReLU) for lr in RATES for s in SEEDS
}
mean_epochs, ratio_at = {}, {}  # inf when a seed never reaches the target
for lr in RATES:
    for name in ("Tanh", "ReLU"):
        counts = [runs[name, lr, s][0] or np.inf for s in SEEDS]
        mean_epochs[name, lr] = float(np.mean(counts))
    shown = {n: f"{mean_epochs[n, lr]:5.1f}" if np.isfinite(mean_epochs[n, lr]) else "  -  " for n in ("Tanh", "ReLU")}
    finite = np.isfinite(mean_epochs["ReLU", lr])
    ratio_at[lr] = mean_epochs["Tanh", lr] / mean_epochs["ReLU", lr] if finite else np.nan
    print(f"lr {lr:4.1f}: tanh {shown['Tanh']} epochs, ReLU {shown['ReLU']} epochs, ratio tanh/ReLU {ratio_at[lr]:.2f}")
print("(-: a seed diverged or missed the target within 25 epochs)")
best_lr = {name: min(RATES, key=lambda lr, n=name: mean_epochs[n, lr]) for name in ("Tanh", "ReLU")}
best = {name: mean_epochs[name, best_lr[name]] for name in best_lr}
print(
    f"best learning rate: tanh {best_lr['Tanh']} ({best['Tanh']:.1f} epochs), ReLU {best_lr['ReLU']} ({best['ReLU']:.1f})"
)
for lr in (0.1, 0.3):
    claim(
        f"epochs to the target, tanh over ReLU, at lr {lr}",
        mean_epochs["Tanh", lr] / mean_epochs["ReLU", lr],
        1.2,
        1.9,
        fmt=".2f",
    )
for name in ("Tanh", "ReLU"):
    claim(f"{name}'s best learning rate lies inside the grid, not at its end", best_lr[name], 0.3, 3.0, fmt=".1f")
claim(
    "epochs to the target, tanh over ReLU, at lr 1 (tanh catches up)",
    ratio_at[1.0],
    0.3,
    1.1,
    fmt=".2f",
)
claim(
    "epochs to the target, tanh over ReLU, each at its best learning rate",
    best["Tanh"] / best["ReLU"],
    0.5,
    1.3,
    fmt=".2f",
    lecture="about 6 (Krizhevsky et al. 2012, CIFAR-10)",
)

fig, ax = plt.subplots()
ax.axhline(TARGET, color="gray", linestyle=":", label="target 0.05")
fig = plot.plot_curves(
    {f"{name}, lr 0.1": runs[name, 0.1, SEEDS[0]][1] for name in ("Tanh", "ReLU")},
    logy=True,
    ax=ax,
    title="Same net, same init, SGD lr 0.1: training loss",
    ylabel="training loss (epoch mean)",
)

# %% [markdown]
# **Our figure beside the lecture's.** At the same small learning rate (0.1 or 0.3) ReLU reaches the target
# in about two thirds of tanh's epochs (a ratio of 1.2–1.9, about 1.5). But at $\eta = 1$ tanh catches up (a
# ratio of 0.3–1.1; its bounded output cannot blow up), at $\eta = 3$ ReLU diverges, and at $\eta = 10$ both do:
# the best rate of each lies inside the grid (between 0.3 and 3). When each activation gets its own best
# learning rate, as in Krizhevsky et al., tanh needs about as many epochs as ReLU, or fewer (a ratio of 0.5–1.3;
# epochs are counted whole, so that is as fine as this measurement resolves). That is **far from 6×**, and we should
# say why rather than claim a match:
#
# * our network is small (two hidden layers of 64 units) and the inputs are standardised, so with Glorot
#   initialisation most tanh units work in their near-linear range, where tanh' is close to 1: little
#   saturation, hence little to gain;
# * their network was a deeper convolutional net on harder data (CIFAR-10), trained for many epochs, with
#   a different initialisation; saturation and vanishing gradients grow with depth (section 10);
# * we count epochs on 1797 images; they counted epochs on 50 000. Two seeds and three learning rates
#   give a rough figure only.
#
# At equal learning rates the direction agrees (and each ReLU step is also cheaper, section 2); the 6× is a
# property of their setting, not a constant of nature. (The table varies with the machine at the largest
# rate, where training is chaotic; the claims above are the ranges that hold.)
#
# ## B. SELU keeps mean ≈ 0 and variance ≈ 1 through 32 layers
#
# We push 500 random $\mathcal N(0, 1)$ inputs through 32 layers of 128 units, all initialised with the
# *same* LeCun normal weights $\mathcal N(0, 1/\text{fan\_in})$ (`coursekit.init.lecun_normal`), once with SELU,
# once with ReLU and once with tanh, and print the mean and variance of every layer's output.

# %% tags=heavy
rng = np.random.default_rng(20)
h0 = rng.standard_normal((500, 128))
weights = [init.lecun_normal((128, 128), rng=rng) for _ in range(32)]
stats = {}
for name, forward in (("SELU", F.selu_forward), ("ReLU", F.relu_forward), ("tanh", F.tanh_forward)):
    h, stats[name] = h0, []
    for w in weights:
        h = forward(h @ w)[0]
        stats[name].append((h.mean(), h.var()))
print("layer " + "".join(f"{name:>20s}" for name in stats))
print("      " + "".join(f"{'mean':>11s}{'var':>9s}" for _ in stats))
for layer in (1, 2, 4, 8, 16, 24, 32):
    print(f"{layer:5d} " + "".join(f"{stats[n][layer - 1][0]:+11.4f}{stats[n][layer - 1][1]:9.4f}" for n in stats))
selu, relu, tanh = (np.array(stats[name]) for name in ("SELU", "ReLU", "tanh"))
claim("SELU, largest |mean| over the 32 layers", np.abs(selu[:, 0]).max(), 0, 0.06, fmt=".3f", lecture="near 0")
claim("SELU, smallest variance over the 32 layers", selu[:, 1].min(), 0.8, 1.15, fmt=".3f", lecture="near 1")
claim("SELU, largest variance over the 32 layers", selu[:, 1].max(), 0.8, 1.15, fmt=".3f", lecture="near 1")
claim("ReLU, variance kept per layer (layers 1-8)", (relu[7, 1] / relu[0, 1]) ** (1 / 7), 0.4, 0.6, fmt=".2f")
claim("ReLU, variance at layer 16 (practically 0)", relu[15, 1], 0, 1e-4, fmt=".1e")
claim("tanh, variance at layer 32 over layer 1 (shrinks steadily)", tanh[31, 1] / tanh[0, 1], 0, 0.1, fmt=".3f")

fig = plot.plot_curves(
    {name: [v for _, v in s] for name, s in stats.items()},
    logy=True,
    xlabel="layer",
    ylabel="variance of the layer's output",
    title="Variance through depth, LeCun normal init",
)

# %% [markdown]
# **Our figure beside the lecture's.** The lecture (after Klambauer et al., 2017) says SELU keeps the
# activations near mean 0 and variance 1. We check a mean within 0.06 of 0 and a variance between 0.8 and
# 1.15 at every one of the 32 layers (the fluctuations of a finite layer, 128 units and 500 samples, move
# the numbers by a few hundredths from one draw of the weights to the next; these ranges hold for every
# draw we tried): the claim holds, and nothing drifts away with depth. Under the same initialisation
# ReLU's variance roughly halves at every layer (ReLU drops the negative half; we measure a factor
# 0.4–0.6 per layer) and is practically 0 (below $10^{-4}$) by layer 16, and tanh's shrinks steadily (its
# slope is below 1 away from 0) to under a tenth of its first-layer value by layer 32. Those two need their own
# initialisations (He for ReLU, Xavier for tanh, notebook 04) or batch normalisation (05); SELU gets the
# normalisation from its two constants.
#
# ## C. Dead ReLUs and the learning rate
#
# The lecture warns that with ReLU we must be careful with the learning rate. We train the same
# one-hidden-layer network (64 → 100 ReLU → 10, He initialisation) for two epochs with SGD at learning rates
# from 0.01 to 3, feeding pixel intensities scaled to $[0, 1]$ (non-negative, as raw images are), and then
# measure with your `dead_relu_fraction` how many hidden units are dead on the whole data set. Large learning
# rates make training chaotic (one seed, or one CPU, can tip a run either way), so we train five seeds per
# rate and print mean ± standard deviation; the claims below the table check the ranges that hold. (The
# claims use the reference `coursekit` computation of the dead fraction, so they hold whatever your answer.)


# %% tags=heavy,nbval-ignore-output
def dead_on(model, x):
    """Reference dead fraction (coursekit only): hidden units with pre-activation <= 0 for every row of x."""
    return float(np.mean(np.all(model[0](x) <= 0, axis=0)))


X_unit = X_digits / 16.0  # pixel intensities in [0, 1]
RATES_C, SEEDS_C = (0.01, 0.1, 0.3, 1.0, 2.0, 3.0), range(21, 26)
dead, yours, acc, dead_at_init = {}, {}, {}, []
for lr in RATES_C:
    dead[lr], yours[lr], acc[lr] = [], [], []
    for seed in SEEDS_C:
        rng = np.random.default_rng(seed)
        model = nn.Sequential(nn.Linear(64, 100, rng=rng), nn.ReLU(), nn.Linear(100, 10, rng=rng))
        if lr == RATES_C[0]:
            dead_at_init.append(dead_on(model, X_unit))
        with np.errstate(all="ignore"):  # the largest rates may overflow; that is part of the lesson
            opt = optim.SGD(model.parameters(), lr=lr)
            xy = (X_unit, y_digits)
            train.fit(model, nn.CrossEntropyLoss(), opt, xy, epochs=2, batch_size=32, progress=False, seed=seed)
            yours[lr].append(dead_relu_fraction(model[0](X_unit)))  # your function, for the table
            dead[lr].append(dead_on(model, X_unit))  # the reference, for the claims
            acc[lr].append(train.accuracy(model(X_unit), y_digits))
print("   lr   dead units (5 seeds)   training accuracy (5 seeds)")
for lr in RATES_C:
    d, a = yours[lr], acc[lr]
    print(f"{lr:5.2f}   {np.mean(d):.2f} ± {np.std(d):.2f}            {np.mean(a):.2f} ± {np.std(a):.2f}")
print(f"dead at initialisation: {np.mean(dead_at_init):.2f}")
alive = max(np.mean(dead[lr]) for lr in (0.01, 0.1, 0.3)) - np.mean(dead_at_init)
claim("dead units at lr <= 0.3, more than at initialisation", alive, 0, 0.02, fmt=".2f")
best_acc = max(np.mean(acc[0.1]), np.mean(acc[0.3]))
claim("mean training accuracy at lr 0.1 and 0.3 (the best rates)", best_acc, 0.75, 0.95, fmt=".2f")
claim("dead units at lr 1, mean of 5 seeds (the edge)", np.mean(dead[1.0]), 0.05, 0.5, fmt=".2f")
for lr in (2.0, 3.0):
    claim(f"dead units at lr {lr:.0f}, mean of 5 seeds", np.mean(dead[lr]), 0.8, 1.0, fmt=".2f")
    claim(f"training accuracy at lr {lr:.0f}, mean of 5 seeds (chance: 0.10)", np.mean(acc[lr]), 0.0, 0.2, fmt=".2f")

# %% [markdown]
# With a small learning rate (up to 0.3) no unit dies beyond the 2–5 % that are dead from the start, and
# accuracy is best (0.75–0.95 after two epochs). $\eta = 1$ is the edge: on average 5–50 % of the units die
# and the outcome depends on the seed (most runs still learn, some collapse). From $\eta = 2$ on, a few large
# updates push 80–100 % of the units' weights and biases so far negative that no input can switch them on
# again; they get no gradient, so they never come back, and training accuracy collapses with them to
# chance level (at most 0.2; chance is 0.1). (A unit that is
# dead for the whole data set contributes nothing for the rest of training: the network has become
# smaller.) Leaky ReLU, ELU or Maxout units cannot get stuck this way; with ReLU, the cure is a sensible
# learning rate.

# %% [markdown]
# ## D. Your PReLU and your Maxout train a network
#
# The layers of Exercises 7–9 now do real work. `YourPReLU` and `YourMaxout` below are `coursekit.nn`'s `PReLU`
# and `Maxout` modules with **your** functions inside: the module only holds the parameters and adds your
# gradients to them, the optimiser (`coursekit.optim.SGD`) does the rest. Three networks of the same size on the
# standardised digits (70 % to train, 30 % to test): 64 → 32 → 10 with ReLU, with PReLU (one slope per hidden
# unit, starting at 0.25, as `torch.nn.PReLU`), and a Maxout layer of 32 units with $K = 2$ pieces → 10. Each
# trains for 15 epochs of SGD (learning rate 0.05, batches of 32). First your layers, next to the same networks
# built from `coursekit`'s (same initial weights, same batches): they must end with the same parameters. Then
# three seeds of the reference networks, for the claims (they hold whatever your answer).


# %% tags=heavy,nbval-ignore-output
class YourPReLU(nn.PReLU):
    """coursekit's PReLU module running your prelu_forward / prelu_backward."""

    def forward(self, x):
        out, self._cache = prelu_forward(x, self.weight.data)
        return out

    def backward(self, dout):
        dx, dalpha = prelu_backward(dout, self._saved())
        self.weight.grad += dalpha
        return dx


class YourMaxout(nn.Maxout):
    """coursekit's Maxout module running your maxout_forward / maxout_backward."""

    def forward(self, x):
        out, self._cache = maxout_forward(x, self.weight.data, self.bias.data)
        return out

    def backward(self, dout):
        dx, dw, db = maxout_backward(dout, self._saved())
        self.weight.grad += dw
        self.bias.grad += db
        return dx


(X_tr, y_tr), _, (X_te, y_te) = data.train_val_test_split(X_digits, y_digits, 0.0, 0.3, rng=np.random.default_rng(30))
X_tr, X_te = data.standardize(X_tr, X_te)
LAYERS = {"ReLU": nn.ReLU, "PReLU": nn.PReLU, "Maxout": nn.Maxout, "your PReLU": YourPReLU, "your Maxout": YourMaxout}


def small_net(kind, seed):
    """64 -> 32 hidden units of `kind` -> 10, He-normal weights drawn from `seed`."""
    rng, layer = np.random.default_rng(seed), LAYERS[kind]
    if "Maxout" in kind:
        return nn.Sequential(layer(64, 32, k=2, rng=rng), nn.Linear(32, 10, init="he", rng=rng))
    hidden = layer(32, init=0.25) if "PReLU" in kind else layer()
    return nn.Sequential(nn.Linear(64, 32, init="he", rng=rng), hidden, nn.Linear(32, 10, init="he", rng=rng))


def trained(kind, seed):
    model = small_net(kind, seed)
    opt = optim.SGD(model.parameters(), lr=0.05)
    train.fit(model, nn.CrossEntropyLoss(), opt, (X_tr, y_tr), epochs=15, batch_size=32, progress=False, seed=seed)
    return model, train.accuracy(model(X_te), y_te)


SEEDS_D = (0, 1, 2)
ref = {(kind, seed): trained(kind, seed) for kind in ("ReLU", "PReLU", "Maxout") for seed in SEEDS_D}
for kind in ("PReLU", "Maxout"):
    yours, your_acc = trained(f"your {kind}", 0)
    pairs = zip(yours.parameters(), ref[kind, 0][0].parameters(), strict=True)
    gap = max(np.abs(p.data - q.data).max() for p, q in pairs)
    print(f"your {kind:6s}: test accuracy {your_acc:.3f}; largest parameter difference to coursekit's {gap:.1e}")
acc = {kind: [ref[kind, seed][1] for seed in SEEDS_D] for kind in ("ReLU", "PReLU", "Maxout")}
for kind, a in acc.items():
    print(f"{kind:6s} test accuracy (3 seeds): {np.mean(a):.3f} ± {np.std(a):.3f}")
alphas = np.concatenate([ref["PReLU", seed][0][1].weight.data for seed in SEEDS_D])
print(
    f"learned PReLU slopes: mean {alphas.mean():.2f}, from {alphas.min():.2f} to {alphas.max():.2f} (all began at 0.25)"
)
for kind in ("ReLU", "PReLU", "Maxout"):
    claim(f"{kind} net, test accuracy on digits, mean of 3 seeds", np.mean(acc[kind]), 0.93, 0.99, fmt=".3f")
claim("PReLU, mean learned slope (from 0.25)", alphas.mean(), 0.3, 0.45, fmt=".2f")
claim("PReLU, smallest learned slope", alphas.min(), 0.0, 0.2, fmt=".2f")
claim("PReLU, largest learned slope", alphas.max(), 0.5, 0.9, fmt=".2f")

fig, ax = plt.subplots()
ax.hist(alphas, bins=20, label="after 15 epochs (3 seeds × 32 units)")
ax.axvline(0.25, color="gray", linestyle=":", label="initial slope 0.25")
ax.set(title="PReLU: the slopes the network learned", xlabel="slope α of a hidden unit", ylabel="number of units")
_ = ax.legend()

# %% [markdown]
# If your Exercises 7–9 are right, your networks end within about $10^{-12}$ of the reference ones: the same
# gradients, step after step, for 15 epochs. All three networks reach 93–99 % test accuracy (means of 3 seeds):
# on a problem this small, the choice among piecewise-linear activations hardly matters (the Maxout net has
# twice the hidden-layer parameters: 4 160 weights and biases against 2 080). What is worth a look is what
# the PReLU slopes did: they all started at 0.25, and the network spread them out, on average upwards (a mean of
# 0.30–0.45), from below 0.2 for some units to above 0.5 for others. Each unit chose how much of its negative side
# to pass on, which is only possible because your `dalpha` collects the gradient of every sample. He et al. (2015)
# saw the same in their ImageNet network, whose first layer learned slopes well above 0.25.
#
# # Summary
#
# * The activation's **derivative** multiplies every gradient that flows back: saturation ($f' \approx 0$)
#   kills gradients, and repeated factors $< 1$ make them vanish with depth.
# * **Sigmoid**: range $(0, 1)$, saturates, not zero-centred (all-same-sign weight gradients), costly `exp`.
#   **tanh** $= 2\sigma(2x) - 1$: zero-centred, slope up to 1, still saturates.
# * **ReLU**: no positive saturation, cheap, faster convergence (6× in Krizhevsky et al.; about 1.5× on our
#   small net at equal small learning rates, none when each gets its best rate), but units can **die**,
#   especially with a large learning rate.
# * **Leaky ReLU** ($\max(0.01x, x)$), **PReLU** (learned $\alpha$, one per channel), **ELU** ($\alpha(e^x - 1)$ for $x \le 0$),
#   **SELU** ($\lambda \approx 1.0507$, $\alpha \approx 1.6733$, with $\mathcal N(0, 1/\text{fan\_in})$ init: self-normalising), **Maxout**
#   (max of affine pieces; generalises ReLU, doubles the parameters).
# * **GELU** $x\Phi(x)$ and **SiLU** $x\sigma(x)$: smooth ReLUs with a small negative dip, the defaults of
#   transformers (GELU) and of many modern CNNs and LLM gates (SiLU/Swish).
# * A parameter shared by many elements (PReLU's $\alpha_c$) collects its gradient from every one of them; a max
#   routes the whole gradient to its winner (Maxout).
# * In practice: ReLU; try Leaky ReLU / ELU / Maxout; tanh without great expectations; avoid the sigmoid.
# * Exploding gradients: clip by norm, $\nabla W \leftarrow \nabla W\,\beta/\max(\lVert\nabla W\rVert, \beta)$.
#
# # Further reading
#
# * A. Krizhevsky, I. Sutskever, G. Hinton. *ImageNet Classification with Deep Convolutional Neural
#   Networks.* NeurIPS 2012 (Figure 1: ReLU vs tanh).
# * Y. LeCun, I. Kanter, S. Solla. *Second Order Properties of Error Surfaces: Learning Time and
#   Generalization.* NeurIPS 1991 (tanh and zero-centred inputs).
# * A. Maas, A. Hannun, A. Ng. *Rectifier Nonlinearities Improve Neural Network Acoustic Models.* ICML 2013 (Leaky ReLU).
# * K. He, X. Zhang, S. Ren, J. Sun. *Delving Deep into Rectifiers.* ICCV 2015 (PReLU, He initialisation);
#   *Deep Residual Learning for Image Recognition.* CVPR 2016 (residual connections).
# * D.-A. Clevert, T. Unterthiner, S. Hochreiter. *Fast and Accurate Deep Network Learning by Exponential
#   Linear Units (ELUs).* arXiv:1511.07289, 2015.
# * G. Klambauer, T. Unterthiner, A. Mayr, S. Hochreiter. *Self-Normalizing Neural Networks.*
#   arXiv:1706.02515, 2017 (SELU).
# * I. Goodfellow, D. Warde-Farley, M. Mirza, A. Courville, Y. Bengio. *Maxout Networks.* ICML 2013.
# * M. Nielsen. *Neural Networks and Deep Learning*, chapter 5: why deep networks are hard to train
#   (the per-layer gradient figures).
# * R. Pascanu, T. Mikolov, Y. Bengio. *On the Difficulty of Training Recurrent Neural Networks.* ICML 2013
#   (gradient clipping by norm).

# Typical wrong answers for 03_activations: each must lose points (see coursekit/instructor/mutations.py).
# All answers run in one kernel: each maxout_backward answer defines the maxout_forward it relies on.

# %% wrong id=sigmoid name=naive-overflows-at-minus-1000
def sigmoid_forward(x):
    out = 1.0 / (1.0 + np.exp(-x))
    return out, out


def sigmoid_backward(dout, cache):
    return dout * cache * (1.0 - cache)


# %% wrong id=sigmoid name=wrong-sign
def sigmoid_forward(x):
    z = np.exp(-np.abs(x))
    out = np.where(x < 0, 1.0 / (1.0 + z), z / (1.0 + z))
    return out, out


def sigmoid_backward(dout, cache):
    return dout * cache * (1.0 - cache)


# %% wrong id=sigmoid name=backward-missing-one-minus
def sigmoid_forward(x):
    z = np.exp(-np.abs(x))
    out = np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))
    return out, out


def sigmoid_backward(dout, cache):
    return dout * cache


# %% wrong id=sigmoid name=backward-forgets-dout
def sigmoid_forward(x):
    z = np.exp(-np.abs(x))
    out = np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))
    return out, out


def sigmoid_backward(dout, cache):
    return cache * (1.0 - cache)


# %% wrong id=sigmoid name=backward-uses-x-not-sigma
def sigmoid_forward(x):
    z = np.exp(-np.abs(x))
    out = np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))
    return out, x


def sigmoid_backward(dout, cache):
    return dout * cache * (1.0 - cache)


# %% wrong id=sigmoid name=clips-input-in-place
def sigmoid_forward(x):
    np.clip(x, -30.0, 30.0, out=x)
    out = 1.0 / (1.0 + np.exp(-x))
    return out, out


def sigmoid_backward(dout, cache):
    return dout * cache * (1.0 - cache)


# %% wrong id=tanh name=backward-not-squared
def tanh_forward(x):
    out = np.tanh(x)
    return out, out


def tanh_backward(dout, cache):
    return dout * (1.0 - cache)


# %% wrong id=tanh name=backward-forgets-dout
def tanh_forward(x):
    out = np.tanh(x)
    return out, out


def tanh_backward(dout, cache):
    return 1.0 - cache**2


# %% wrong id=tanh name=textbook-formula-nan-at-1000
def tanh_forward(x):
    out = (np.exp(x) - np.exp(-x)) / (np.exp(x) + np.exp(-x))
    return out, out


def tanh_backward(dout, cache):
    return dout * (1.0 - cache**2)


# %% wrong id=tanh name=sigmoid-identity-missing-factor-2
def tanh_forward(x):
    out = 2.0 / (1.0 + np.exp(-np.clip(x, -500, 500))) - 1.0
    return out, out


def tanh_backward(dout, cache):
    return dout * (1.0 - cache**2)


# %% wrong id=relu name=backward-clamps-dout
def relu_forward(x):
    return np.maximum(x, 0.0), x


def relu_backward(dout, cache):
    return np.maximum(dout, 0.0)


# %% wrong id=relu name=backward-slope-1-at-zero
def relu_forward(x):
    return np.maximum(x, 0.0), x


def relu_backward(dout, cache):
    return dout * (cache >= 0)


# %% wrong id=relu name=forward-mutates-input
def relu_forward(x):
    x[x < 0] = 0.0
    return x, x


def relu_backward(dout, cache):
    return dout * (cache > 0)


# %% wrong id=relu name=backward-returns-mask
def relu_forward(x):
    return np.maximum(x, 0.0), x


def relu_backward(dout, cache):
    return (cache > 0).astype(float)


# %% wrong id=leaky_relu name=backward-no-leak
def leaky_relu_forward(x, alpha=0.01):
    return np.where(x > 0, x, alpha * x), (x, alpha)


def leaky_relu_backward(dout, cache):
    x, alpha = cache
    return dout * (x > 0)


# %% wrong id=leaky_relu name=alpha-hard-coded
def leaky_relu_forward(x, alpha=0.01):
    return np.where(x > 0, x, 0.01 * x), x


def leaky_relu_backward(dout, cache):
    return dout * np.where(cache > 0, 1.0, 0.01)


# %% wrong id=leaky_relu name=default-alpha-0.1
def leaky_relu_forward(x, alpha=0.1):
    return np.where(x > 0, x, alpha * x), (x, alpha)


def leaky_relu_backward(dout, cache):
    x, alpha = cache
    return dout * np.where(x > 0, 1.0, alpha)


# %% wrong id=leaky_relu name=backward-forgets-dout-on-negative-side
def leaky_relu_forward(x, alpha=0.01):
    return np.where(x > 0, x, alpha * x), (x, alpha)


def leaky_relu_backward(dout, cache):
    x, alpha = cache
    return np.where(x > 0, dout, alpha)


# %% wrong id=elu name=backward-forgets-alpha
def elu_forward(x, alpha=1.0):
    out = np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0.0)))
    return out, (x, out, alpha)


def elu_backward(dout, cache):
    x, out, alpha = cache
    return dout * np.where(x > 0, 1.0, np.exp(np.minimum(x, 0.0)))


# %% wrong id=elu name=backward-elu-without-plus-alpha
def elu_forward(x, alpha=1.0):
    out = np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0.0)))
    return out, (x, out, alpha)


def elu_backward(dout, cache):
    x, out, alpha = cache
    return dout * np.where(x > 0, 1.0, out)


# %% wrong id=elu name=where-overflows-at-1000
def elu_forward(x, alpha=1.0):
    out = np.where(x > 0, x, alpha * (np.exp(x) - 1.0))
    return out, (x, out, alpha)


def elu_backward(dout, cache):
    x, out, alpha = cache
    return dout * np.where(x > 0, 1.0, out + alpha)


# %% wrong id=elu name=forward-missing-minus-one
def elu_forward(x, alpha=1.0):
    out = np.where(x > 0, x, alpha * np.exp(np.minimum(x, 0.0)))
    return out, (x, out, alpha)


def elu_backward(dout, cache):
    x, out, alpha = cache
    return dout * np.where(x > 0, 1.0, out)


# %% wrong id=selu name=constants-swapped
SELU_LAMBDA = 1.6732632423543772
SELU_ALPHA = 1.0507009873554805


def selu_forward(x):
    out, cache = elu_forward(x, alpha=SELU_ALPHA)
    return SELU_LAMBDA * out, cache


def selu_backward(dout, cache):
    return SELU_LAMBDA * elu_backward(dout, cache)


# %% wrong id=selu name=backward-forgets-lambda
SELU_LAMBDA = 1.0507009873554805
SELU_ALPHA = 1.6732632423543772


def selu_forward(x):
    out, cache = elu_forward(x, alpha=SELU_ALPHA)
    return SELU_LAMBDA * out, cache


def selu_backward(dout, cache):
    return elu_backward(dout, cache)


# %% wrong id=selu name=lambda-only-on-positive-side
SELU_LAMBDA = 1.0507009873554805
SELU_ALPHA = 1.6732632423543772


def selu_forward(x):
    out = np.where(x > 0, SELU_LAMBDA * x, SELU_ALPHA * np.expm1(np.minimum(x, 0.0)))
    return out, x


def selu_backward(dout, cache):
    return dout * np.where(cache > 0, SELU_LAMBDA, SELU_ALPHA * np.exp(np.minimum(cache, 0.0)))


# %% wrong id=selu name=elu-alpha-1
SELU_LAMBDA = 1.0507009873554805
SELU_ALPHA = 1.6732632423543772


def selu_forward(x):
    out, cache = elu_forward(x)
    return SELU_LAMBDA * out, cache


def selu_backward(dout, cache):
    return SELU_LAMBDA * elu_backward(dout, cache)


# %% wrong id=maxout name=max-over-units-axis
def maxout_forward(x, w, b):
    z = np.tensordot(x, w, axes=1) + b
    return z.max(axis=1), (x, w, z.argmax(axis=2))


# %% wrong id=maxout name=missing-bias
def maxout_forward(x, w, b):
    z = np.tensordot(x, w, axes=1)
    return z.max(axis=2), (x, w, z.argmax(axis=2))


# %% wrong id=maxout name=min-instead-of-max
def maxout_forward(x, w, b):
    z = np.tensordot(x, w, axes=1) + b
    return z.min(axis=2), (x, w, z.argmin(axis=2))


# %% wrong id=maxout name=mean-of-pieces
def maxout_forward(x, w, b):
    z = np.tensordot(x, w, axes=1) + b
    return z.mean(axis=2), (x, w, z.argmax(axis=2))


# %% wrong id=maxout name=relu-of-first-piece
def maxout_forward(x, w, b):
    z = x @ w[:, :, 0] + b[:, 0]
    return np.maximum(z, 0.0), (x, w, np.zeros(z.shape, dtype=int))


# %% wrong id=prelu name=dalpha-forgets-x
def prelu_forward(x, alpha):
    a = np.asarray(alpha, dtype=float)
    if a.ndim == 1:
        a = a.reshape((1, -1) + (1,) * (x.ndim - 2))
    return np.where(x > 0, x, a * x), (x, a, np.shape(alpha))


def prelu_backward(dout, cache):
    x, a, alpha_shape = cache
    dx = dout * np.where(x > 0, 1.0, a)
    contrib = np.where(x > 0, 0.0, dout)
    shared = tuple(i for i in range(x.ndim) if a.ndim == 0 or i != 1)
    return dx, contrib.sum(axis=shared).reshape(alpha_shape)


# %% wrong id=prelu name=dalpha-includes-positive-side
def prelu_forward(x, alpha):
    a = np.asarray(alpha, dtype=float)
    if a.ndim == 1:
        a = a.reshape((1, -1) + (1,) * (x.ndim - 2))
    return np.where(x > 0, x, a * x), (x, a, np.shape(alpha))


def prelu_backward(dout, cache):
    x, a, alpha_shape = cache
    dx = dout * np.where(x > 0, 1.0, a)
    shared = tuple(i for i in range(x.ndim) if a.ndim == 0 or i != 1)
    return dx, (dout * x).sum(axis=shared).reshape(alpha_shape)


# %% wrong id=prelu name=dalpha-sums-over-the-batch-axis-only
def prelu_forward(x, alpha):
    a = np.asarray(alpha, dtype=float)
    if a.ndim == 1:
        a = a.reshape((1, -1) + (1,) * (x.ndim - 2))
    return np.where(x > 0, x, a * x), (x, a, np.shape(alpha))


def prelu_backward(dout, cache):
    x, a, alpha_shape = cache
    dx = dout * np.where(x > 0, 1.0, a)
    contrib = np.where(x > 0, 0.0, dout * x)
    return dx, contrib.sum(axis=0) if a.ndim else contrib.sum()


# %% wrong id=prelu name=dalpha-one-number-for-all-channels
def prelu_forward(x, alpha):
    a = np.asarray(alpha, dtype=float)
    if a.ndim == 1:
        a = a.reshape((1, -1) + (1,) * (x.ndim - 2))
    return np.where(x > 0, x, a * x), (x, a)


def prelu_backward(dout, cache):
    x, a = cache
    dx = dout * np.where(x > 0, 1.0, a)
    return dx, np.where(x > 0, 0.0, dout * x).sum()


# %% wrong id=prelu name=shared-slope-summed-per-channel
def prelu_forward(x, alpha):
    if np.ndim(alpha) == 0:
        return np.where(x > 0, x, alpha * x), (x, float(alpha), None)
    a = np.asarray(alpha, dtype=float).reshape((1, -1) + (1,) * (x.ndim - 2))
    return np.where(x > 0, x, a * x), (x, a, len(alpha))


def prelu_backward(dout, cache):
    x, a, n = cache
    dx = dout * np.where(x > 0, 1.0, a)
    contrib = np.where(x > 0, 0.0, dout * x)
    if n is None:
        return dx, contrib.sum()
    return dx, contrib.sum(axis=tuple(i for i in range(x.ndim) if i != 1))  # (C,) even for a shared (1,) slope


# %% wrong id=prelu name=dalpha-mean-not-sum
def prelu_forward(x, alpha):
    a = np.asarray(alpha, dtype=float)
    if a.ndim == 1:
        a = a.reshape((1, -1) + (1,) * (x.ndim - 2))
    return np.where(x > 0, x, a * x), (x, a, np.shape(alpha))


def prelu_backward(dout, cache):
    x, a, alpha_shape = cache
    dx = dout * np.where(x > 0, 1.0, a)
    contrib = np.where(x > 0, 0.0, dout * x)
    shared = tuple(i for i in range(x.ndim) if a.ndim == 0 or i != 1)
    return dx, contrib.mean(axis=shared).reshape(alpha_shape)


# %% wrong id=prelu name=dx-forgets-alpha
def prelu_forward(x, alpha):
    a = np.asarray(alpha, dtype=float)
    if a.ndim == 1:
        a = a.reshape((1, -1) + (1,) * (x.ndim - 2))
    return np.where(x > 0, x, a * x), (x, a, np.shape(alpha))


def prelu_backward(dout, cache):
    x, a, alpha_shape = cache
    contrib = np.where(x > 0, 0.0, dout * x)
    shared = tuple(i for i in range(x.ndim) if a.ndim == 0 or i != 1)
    return dout * (x > 0), contrib.sum(axis=shared).reshape(alpha_shape)


# %% wrong id=prelu name=alpha-broadcast-along-the-last-axis
def prelu_forward(x, alpha):
    a = np.asarray(alpha, dtype=float)
    return np.where(x > 0, x, a * x), (x, a)


def prelu_backward(dout, cache):
    x, a = cache
    dx = dout * np.where(x > 0, 1.0, a)
    contrib = np.where(x > 0, 0.0, dout * x)
    return dx, contrib.reshape(-1, a.size).sum(axis=0).reshape(a.shape)


# %% wrong id=prelu name=kink-at-zero-takes-the-positive-slope
def prelu_forward(x, alpha):
    a = np.asarray(alpha, dtype=float)
    if a.ndim == 1:
        a = a.reshape((1, -1) + (1,) * (x.ndim - 2))
    return np.where(x >= 0, x, a * x), (x, a, np.shape(alpha))


def prelu_backward(dout, cache):
    x, a, alpha_shape = cache
    dx = dout * np.where(x >= 0, 1.0, a)
    contrib = np.where(x >= 0, 0.0, dout * x)
    shared = tuple(i for i in range(x.ndim) if a.ndim == 0 or i != 1)
    return dx, contrib.sum(axis=shared).reshape(alpha_shape)


# %% wrong id=prelu name=forward-scales-x-in-place
def prelu_forward(x, alpha):
    a = np.asarray(alpha, dtype=float)
    if a.ndim == 1:
        a = a.reshape((1, -1) + (1,) * (x.ndim - 2))
    negative = x <= 0
    x_in = x.copy()
    np.multiply(x, a, out=x, where=negative)
    return x, (x_in, a, np.shape(alpha))


def prelu_backward(dout, cache):
    x, a, alpha_shape = cache
    dx = dout * np.where(x > 0, 1.0, a)
    contrib = np.where(x > 0, 0.0, dout * x)
    shared = tuple(i for i in range(x.ndim) if a.ndim == 0 or i != 1)
    return dx, contrib.sum(axis=shared).reshape(alpha_shape)


# %% wrong id=maxout_backward name=gradient-to-every-piece
def maxout_forward(x, w, b):  # right: the mistake is in the backward pass
    z = np.tensordot(x, w, axes=1) + b
    winner = z.argmax(axis=2)
    return np.take_along_axis(z, winner[..., None], axis=2)[..., 0], (x, w, winner)


def maxout_backward(dout, cache):
    x, w, winner = cache
    dz = np.repeat(dout[..., None], w.shape[2], axis=2)
    return np.tensordot(dz, w, axes=([1, 2], [1, 2])), np.tensordot(x, dz, axes=(0, 0)), dz.sum(axis=0)


# %% wrong id=maxout_backward name=routes-to-the-last-piece
def maxout_forward(x, w, b):  # right: the mistake is in the backward pass
    z = np.tensordot(x, w, axes=1) + b
    winner = z.argmax(axis=2)
    return np.take_along_axis(z, winner[..., None], axis=2)[..., 0], (x, w, winner)


def maxout_backward(dout, cache):
    x, w, winner = cache
    dz = np.zeros(winner.shape + (w.shape[2],))
    dz[..., -1] = dout
    return np.tensordot(dz, w, axes=([1, 2], [1, 2])), np.tensordot(x, dz, axes=(0, 0)), dz.sum(axis=0)


# %% wrong id=maxout_backward name=ties-every-tied-piece-gets-the-gradient
def maxout_forward(x, w, b):
    z = np.tensordot(x, w, axes=1) + b
    return z.max(axis=2), (x, w, z)


def maxout_backward(dout, cache):
    x, w, z = cache
    dz = (z == z.max(axis=2, keepdims=True)) * dout[..., None]
    return np.tensordot(dz, w, axes=([1, 2], [1, 2])), np.tensordot(x, dz, axes=(0, 0)), dz.sum(axis=0)


# %% wrong id=maxout_backward name=ties-split-evenly
def maxout_forward(x, w, b):
    z = np.tensordot(x, w, axes=1) + b
    return z.max(axis=2), (x, w, z)


def maxout_backward(dout, cache):
    x, w, z = cache
    mask = z == z.max(axis=2, keepdims=True)
    dz = mask / mask.sum(axis=2, keepdims=True) * dout[..., None]
    return np.tensordot(dz, w, axes=([1, 2], [1, 2])), np.tensordot(x, dz, axes=(0, 0)), dz.sum(axis=0)


# %% wrong id=maxout_backward name=db-not-summed-over-samples
def maxout_forward(x, w, b):  # right: the mistake is in the backward pass
    z = np.tensordot(x, w, axes=1) + b
    winner = z.argmax(axis=2)
    return np.take_along_axis(z, winner[..., None], axis=2)[..., 0], (x, w, winner)


def maxout_backward(dout, cache):
    x, w, winner = cache
    dz = np.zeros(winner.shape + (w.shape[2],))
    np.put_along_axis(dz, winner[..., None], dout[..., None], axis=2)
    return np.tensordot(dz, w, axes=([1, 2], [1, 2])), np.tensordot(x, dz, axes=(0, 0)), dz.mean(axis=0)


# %% wrong id=maxout_backward name=dx-through-the-first-piece-only
def maxout_forward(x, w, b):  # right: the mistake is in the backward pass
    z = np.tensordot(x, w, axes=1) + b
    winner = z.argmax(axis=2)
    return np.take_along_axis(z, winner[..., None], axis=2)[..., 0], (x, w, winner)


def maxout_backward(dout, cache):
    x, w, winner = cache
    dz = np.zeros(winner.shape + (w.shape[2],))
    np.put_along_axis(dz, winner[..., None], dout[..., None], axis=2)
    return dout @ w[:, :, 0].T, np.tensordot(x, dz, axes=(0, 0)), dz.sum(axis=0)


# %% wrong id=maxout_backward name=dw-without-x
def maxout_forward(x, w, b):  # right: the mistake is in the backward pass
    z = np.tensordot(x, w, axes=1) + b
    winner = z.argmax(axis=2)
    return np.take_along_axis(z, winner[..., None], axis=2)[..., 0], (x, w, winner)


def maxout_backward(dout, cache):
    x, w, winner = cache
    dz = np.zeros(winner.shape + (w.shape[2],))
    np.put_along_axis(dz, winner[..., None], dout[..., None], axis=2)
    dw = np.broadcast_to(dz.sum(axis=0), w.shape).copy()
    return np.tensordot(dz, w, axes=([1, 2], [1, 2])), dw, dz.sum(axis=0)


# %% wrong id=clip_gradient name=always-rescales-to-beta
def clip_gradient(grad, beta):
    return grad * beta / np.linalg.norm(grad)


# %% wrong id=clip_gradient name=elementwise-clip
def clip_gradient(grad, beta):
    return np.clip(grad, -beta, beta)


# %% wrong id=clip_gradient name=min-instead-of-max
def clip_gradient(grad, beta):
    return grad * beta / min(np.linalg.norm(grad), beta)


# %% wrong id=clip_gradient name=clips-in-place
def clip_gradient(grad, beta):
    grad *= beta / max(np.linalg.norm(grad), beta)
    return grad


# %% wrong id=clip_gradient name=max-abs-norm
def clip_gradient(grad, beta):
    return grad * beta / max(np.abs(grad).max(), beta)


# %% wrong id=clip_gradient name=per-row-norm
def clip_gradient(grad, beta):
    norms = np.linalg.norm(np.atleast_2d(grad), axis=-1, keepdims=True)
    return (np.atleast_2d(grad) * beta / np.maximum(norms, beta)).reshape(grad.shape)


# %% wrong id=clip_gradient name=accepts-beta-zero
def clip_gradient(grad, beta):
    norm = np.linalg.norm(grad)
    return grad.copy() if norm <= beta else grad * (beta / norm)


# %% wrong id=dead_relu_fraction name=wrong-axis-per-example
def dead_relu_fraction(z):
    return float(np.mean(np.all(z <= 0, axis=1)))


# %% wrong id=dead_relu_fraction name=any-instead-of-all
def dead_relu_fraction(z):
    return float(np.mean(np.any(z <= 0, axis=0)))


# %% wrong id=dead_relu_fraction name=strict-less-than-zero
def dead_relu_fraction(z):
    return float(np.mean(np.all(z < 0, axis=0)))


# %% wrong id=dead_relu_fraction name=fraction-of-inactive-entries
def dead_relu_fraction(z):
    return float(np.mean(z <= 0))


# %% wrong id=dead_relu_fraction name=count-not-fraction
def dead_relu_fraction(z):
    return float(np.sum(np.all(z <= 0, axis=0)))


# %% wrong id=silu_gelu name=gelu-one-plus-erf-cancels-in-the-left-tail
# (each silu_gelu section redefines only what is wrong: the solution's cell is restored after every section)
def gelu_forward(x):
    from scipy.special import erf

    cdf = 0.5 * (1.0 + erf(x / np.sqrt(2.0)))
    return x * cdf, (x, cdf)


# %% wrong id=silu_gelu name=silu-derivative-is-sigmoid-only
def silu_backward(dout, cache):
    x, s = cache
    return dout * s


# %% wrong id=silu_gelu name=gelu-derivative-forgets-the-density-term
def gelu_backward(dout, cache):
    x, cdf = cache
    return dout * cdf


# %% wrong id=silu_gelu name=density-without-the-normalising-constant
def gelu_backward(dout, cache):
    x, cdf = cache
    return dout * (cdf + x * np.exp(-0.5 * x * x))


# %% wrong id=silu_gelu name=silu-naive-exp-overflows
def silu_forward(x):
    s = 1.0 / (1.0 + np.exp(-x))
    return x * s, (x, s)

# Typical wrong answers for 04_initialization: each must lose points (see coursekit/instructor/mutations.py).

# %% wrong id=fans name=fan-out-without-the-kernel
def fans(shape):
    shape = tuple(shape)
    if len(shape) < 2:
        raise ValueError("fans: at least 2 dimensions")
    if len(shape) == 2:
        return int(shape[0]), int(shape[1])
    return int(shape[1] * np.prod(shape[2:])), int(shape[0])


# %% wrong id=fans name=fan-in-channels-only
def fans(shape):
    shape = tuple(shape)
    if len(shape) < 2:
        raise ValueError("fans: at least 2 dimensions")
    if len(shape) == 2:
        return int(shape[0]), int(shape[1])
    return int(shape[1]), int(shape[0] * np.prod(shape[2:]))


# %% wrong id=fans name=conv-fans-swapped
def fans(shape):
    shape = tuple(shape)
    if len(shape) < 2:
        raise ValueError("fans: at least 2 dimensions")
    if len(shape) == 2:
        return int(shape[0]), int(shape[1])
    taps = int(np.prod(shape[2:]))
    return int(shape[0]) * taps, int(shape[1]) * taps


# %% wrong id=fans name=torch-linear-layout
def fans(shape):
    shape = tuple(shape)
    if len(shape) < 2:
        raise ValueError("fans: at least 2 dimensions")
    taps = int(np.prod(shape[2:]))
    return int(shape[1]) * taps, int(shape[0]) * taps


# %% wrong id=fans name=only-2d-kernels
def fans(shape):
    shape = tuple(shape)
    if len(shape) < 2:
        raise ValueError("fans: at least 2 dimensions")
    if len(shape) == 2:
        return int(shape[0]), int(shape[1])
    kh, kw = shape[2], shape[3] if len(shape) > 3 else 1
    return int(shape[1] * kh * kw), int(shape[0] * kh * kw)


# %% wrong id=fans name=numpy-ints
def fans(shape):
    shape = tuple(shape)
    if len(shape) < 2:
        raise ValueError("fans: at least 2 dimensions")
    if len(shape) == 2:
        return shape[0], shape[1]
    return shape[1] * np.prod(shape[2:]), shape[0] * np.prod(shape[2:])


# %% wrong id=fans name=no-error-for-a-vector
def fans(shape):
    shape = tuple(shape)
    if len(shape) <= 2:
        return int(shape[0]), int(shape[-1]) if shape else 1
    taps = int(np.prod(shape[2:]))
    return int(shape[1]) * taps, int(shape[0]) * taps


# %% wrong id=xavier_uniform name=he-uniform-bound-fan-in-only
def xavier_uniform(shape, rng):
    n_in, n_out = fans(shape)
    a = np.sqrt(6.0 / n_in)
    return rng.uniform(-a, a, size=shape)


# %% wrong id=xavier_uniform name=variance-used-as-bound
def xavier_uniform(shape, rng):
    n_in, n_out = fans(shape)
    a = np.sqrt(2.0 / (n_in + n_out))
    return rng.uniform(-a, a, size=shape)


# %% wrong id=xavier_uniform name=missing-sqrt
def xavier_uniform(shape, rng):
    n_in, n_out = fans(shape)
    a = 6.0 / (n_in + n_out)
    return rng.uniform(-a, a, size=shape)


# %% wrong id=xavier_uniform name=transposed-shape
def xavier_uniform(shape, rng):
    n_in, n_out = fans(shape)
    a = np.sqrt(6.0 / (n_in + n_out))
    return rng.uniform(-a, a, size=tuple(shape)[::-1])


# %% wrong id=xavier_uniform name=global-numpy-random
def xavier_uniform(shape, rng):
    n_in, n_out = fans(shape)
    a = np.sqrt(6.0 / (n_in + n_out))
    return np.random.uniform(-a, a, size=shape)


# %% wrong id=xavier_uniform name=hard-coded-seed
def xavier_uniform(shape, rng):
    n_in, n_out = fans(shape)
    a = np.sqrt(6.0 / (n_in + n_out))
    return np.random.default_rng(0).uniform(-a, a, size=shape)


# %% wrong id=xavier_uniform name=positive-only
def xavier_uniform(shape, rng):
    n_in, n_out = fans(shape)
    a = np.sqrt(6.0 / (n_in + n_out))
    return rng.uniform(0.0, a, size=shape)


# %% wrong id=xavier_uniform name=normal-instead-of-uniform
def xavier_uniform(shape, rng):
    n_in, n_out = fans(shape)
    return rng.normal(0.0, np.sqrt(2.0 / (n_in + n_out)), size=shape)


# %% wrong id=he_normal name=variance-as-std
def he_normal(shape, rng):
    n_in, n_out = fans(shape)
    return rng.normal(0.0, 2.0 / n_in, size=shape)


# %% wrong id=he_normal name=fan-out
def he_normal(shape, rng):
    n_in, n_out = fans(shape)
    return rng.normal(0.0, np.sqrt(2.0 / n_out), size=shape)


# %% wrong id=he_normal name=lecun-variance
def he_normal(shape, rng):
    n_in, n_out = fans(shape)
    return rng.normal(0.0, np.sqrt(1.0 / n_in), size=shape)


# %% wrong id=he_normal name=xavier-variance
def he_normal(shape, rng):
    n_in, n_out = fans(shape)
    return rng.normal(0.0, np.sqrt(2.0 / (n_in + n_out)), size=shape)


# %% wrong id=he_normal name=he-uniform-instead-of-normal
def he_normal(shape, rng):
    n_in, n_out = fans(shape)
    a = np.sqrt(6.0 / n_in)
    return rng.uniform(-a, a, size=shape)


# %% wrong id=he_normal name=transposed-shape
def he_normal(shape, rng):
    n_in, n_out = fans(shape)
    return rng.normal(0.0, np.sqrt(2.0 / n_in), size=tuple(shape)[::-1])


# %% wrong id=he_normal name=global-numpy-random
def he_normal(shape, rng):
    n_in, n_out = fans(shape)
    return np.random.normal(0.0, np.sqrt(2.0 / n_in), size=shape)


# %% wrong id=he_normal name=hard-coded-seed
def he_normal(shape, rng):
    n_in, n_out = fans(shape)
    return np.random.default_rng(0).normal(0.0, np.sqrt(2.0 / n_in), size=shape)


# %% wrong id=xavier_uniform name=linear-fans-only-for-conv-weights
def xavier_uniform(shape, rng):
    n_in, n_out = shape[0], shape[1]
    a = np.sqrt(6.0 / (n_in + n_out))
    return rng.uniform(-a, a, size=shape)


# %% wrong id=xavier_uniform name=flattened-2d-draw
def xavier_uniform(shape, rng):
    n_in, n_out = fans(shape)
    a = np.sqrt(6.0 / (n_in + n_out))
    return rng.uniform(-a, a, size=(n_in, n_out))


# %% wrong id=he_normal name=linear-fans-only-for-conv-weights
def he_normal(shape, rng):
    return rng.normal(0.0, np.sqrt(2.0 / shape[0]), size=shape)


# %% wrong id=he_normal name=channels-only-fan-in
def he_normal(shape, rng):
    n_in = shape[0] if len(shape) == 2 else shape[1]
    return rng.normal(0.0, np.sqrt(2.0 / n_in), size=shape)


# %% wrong id=layer_statistics name=pre-activation-stats
def layer_statistics(x, weights, activation):
    means, stds, h = [], [], x
    for w in weights:
        z = h @ w
        means.append(z.mean())
        stds.append(z.std())
        h = activation(z)
    return np.array(means), np.array(stds)


# %% wrong id=layer_statistics name=includes-input-off-by-one
def layer_statistics(x, weights, activation):
    h = x
    means, stds = [h.mean()], [h.std()]
    for w in weights:
        h = activation(h @ w)
        means.append(h.mean())
        stds.append(h.std())
    return np.array(means), np.array(stds)


# %% wrong id=layer_statistics name=drops-last-layer-off-by-one
def layer_statistics(x, weights, activation):
    means, stds, h = [], [], x
    for w in weights:
        means.append(h.mean())
        stds.append(h.std())
        h = activation(h @ w)
    return np.array(means), np.array(stds)


# %% wrong id=layer_statistics name=transposed-weights
def layer_statistics(x, weights, activation):
    means, stds, h = [], [], x
    for w in weights:
        h = activation(h @ w.T)
        means.append(h.mean())
        stds.append(h.std())
    return np.array(means), np.array(stds)


# %% wrong id=layer_statistics name=per-unit-std-averaged
def layer_statistics(x, weights, activation):
    means, stds, h = [], [], x
    for w in weights:
        h = activation(h @ w)
        means.append(h.mean())
        stds.append(h.std(axis=0).mean())
    return np.array(means), np.array(stds)


# %% wrong id=layer_statistics name=sample-std-ddof1
def layer_statistics(x, weights, activation):
    means, stds, h = [], [], x
    for w in weights:
        h = activation(h @ w)
        means.append(h.mean())
        stds.append(h.std(ddof=1))
    return np.array(means), np.array(stds)


# %% wrong id=layer_statistics name=activation-before-matmul
def layer_statistics(x, weights, activation):
    means, stds, h = [], [], x
    for w in weights:
        h = activation(h) @ w
        means.append(h.mean())
        stds.append(h.std())
    return np.array(means), np.array(stds)


# %% wrong id=layer_statistics name=no-activation-on-last-layer
def layer_statistics(x, weights, activation):
    means, stds, h = [], [], x
    for i, w in enumerate(weights):
        h = h @ w
        if i < len(weights) - 1:
            h = activation(h)
        means.append(h.mean())
        stds.append(h.std())
    return np.array(means), np.array(stds)


# %% wrong id=layer_statistics name=first-weight-in-every-layer
def layer_statistics(x, weights, activation):
    means, stds, h = [], [], x
    for _ in weights:
        h = activation(h @ weights[0])
        means.append(h.mean())
        stds.append(h.std())
    return np.array(means), np.array(stds)


# %% wrong id=layer_statistics name=activation-in-place-on-input
def layer_statistics(x, weights, activation):
    means, stds = [], []
    x[...] = activation(x)  # "the input is layer 0": overwrites the caller's array
    h = x
    for w in weights:
        h = activation(h @ w)
        means.append(h.mean())
        stds.append(h.std())
    return np.array(means), np.array(stds)


# %% wrong id=standardize_splits name=each-split-own-statistics-leak
def standardize_splits(X_train, *others):
    out = []
    for x in (X_train, *others):
        x = np.asarray(x, dtype=np.float64)
        std = x.std(axis=0)
        out.append((x - x.mean(axis=0)) / np.where(std == 0, 1.0, std))
    return tuple(out)


# %% wrong id=standardize_splits name=statistics-of-all-splits-leak
def standardize_splits(X_train, *others):
    everything = np.concatenate([X_train, *others], axis=0)
    mean, std = everything.mean(axis=0), everything.std(axis=0)
    std = np.where(std == 0, 1.0, std)
    return tuple((np.asarray(x, dtype=np.float64) - mean) / std for x in (X_train, *others))


# %% wrong id=standardize_splits name=wrong-axis-per-sample
def standardize_splits(X_train, *others):
    mean, std = X_train.mean(axis=1, keepdims=True), X_train.std(axis=1, keepdims=True)
    std = np.where(std == 0, 1.0, std)
    return tuple((np.asarray(x, dtype=np.float64) - mean[: len(x)]) / std[: len(x)] for x in (X_train, *others))


# %% wrong id=standardize_splits name=global-statistics-not-per-feature
def standardize_splits(X_train, *others):
    mean, std = X_train.mean(), X_train.std()
    return tuple((np.asarray(x, dtype=np.float64) - mean) / std for x in (X_train, *others))


# %% wrong id=standardize_splits name=divides-by-zero-for-constant-features
def standardize_splits(X_train, *others):
    mean, std = X_train.mean(axis=0), X_train.std(axis=0)
    with np.errstate(all="ignore"):
        return tuple((np.asarray(x, dtype=np.float64) - mean) / std for x in (X_train, *others))


# %% wrong id=standardize_splits name=epsilon-instead-of-one-for-constant-features
def standardize_splits(X_train, *others):
    mean, std = X_train.mean(axis=0), X_train.std(axis=0)
    return tuple((np.asarray(x, dtype=np.float64) - mean) / (std + 1e-8) for x in (X_train, *others))


# %% wrong id=standardize_splits name=only-centres
def standardize_splits(X_train, *others):
    mean = X_train.mean(axis=0)
    return tuple(np.asarray(x, dtype=np.float64) - mean for x in (X_train, *others))


# %% wrong id=standardize_splits name=divides-by-variance
def standardize_splits(X_train, *others):
    mean, var = X_train.mean(axis=0), X_train.var(axis=0)
    var = np.where(var == 0, 1.0, var)
    return tuple((np.asarray(x, dtype=np.float64) - mean) / var for x in (X_train, *others))


# %% wrong id=standardize_splits name=sample-std-ddof1
def standardize_splits(X_train, *others):
    mean, std = X_train.mean(axis=0), X_train.std(axis=0, ddof=1)
    std = np.where(std == 0, 1.0, std)
    return tuple((np.asarray(x, dtype=np.float64) - mean) / std for x in (X_train, *others))


# %% wrong id=standardize_splits name=mutates-inputs-in-place
def standardize_splits(X_train, *others):
    mean, std = X_train.mean(axis=0), X_train.std(axis=0)
    std = np.where(std == 0, 1.0, std)
    out = []
    for x in (X_train, *others):
        x -= mean
        x /= std
        out.append(x)
    return tuple(out)


# %% wrong id=standardize_splits name=returns-list-not-tuple
def standardize_splits(X_train, *others):
    mean, std = X_train.mean(axis=0), X_train.std(axis=0)
    std = np.where(std == 0, 1.0, std)
    return [(np.asarray(x, dtype=np.float64) - mean) / std for x in (X_train, *others)]


# %% wrong id=standardize_splits name=forgets-the-others
def standardize_splits(X_train, *others):
    mean, std = X_train.mean(axis=0), X_train.std(axis=0)
    std = np.where(std == 0, 1.0, std)
    return ((X_train - mean) / std, *others)


# %% wrong id=initialise name=schemes-swapped
def initialise_(model, scheme, rng):
    draws = {"he": xavier_uniform, "xavier": he_normal}
    if scheme not in draws:
        raise ValueError(f"unknown scheme {scheme!r}")
    for layer in model:
        if isinstance(layer, (nn.Linear, nn.Conv2d)):
            layer.weight.data = draws[scheme](layer.weight.data.shape, rng)
            if layer.bias is not None:
                layer.bias.data = np.zeros_like(layer.bias.data)
    return model


# %% wrong id=initialise name=biases-kept
def initialise_(model, scheme, rng):
    draws = {"he": he_normal, "xavier": xavier_uniform}
    if scheme not in draws:
        raise ValueError(f"unknown scheme {scheme!r}")
    for layer in model:
        if isinstance(layer, (nn.Linear, nn.Conv2d)):
            layer.weight.data = draws[scheme](layer.weight.data.shape, rng)
    return model


# %% wrong id=initialise name=returns-after-first-layer
def initialise_(model, scheme, rng):
    draws = {"he": he_normal, "xavier": xavier_uniform}
    if scheme not in draws:
        raise ValueError(f"unknown scheme {scheme!r}")
    for layer in model:
        if isinstance(layer, (nn.Linear, nn.Conv2d)):
            layer.weight.data = draws[scheme](layer.weight.data.shape, rng)
            if layer.bias is not None:
                layer.bias.data = np.zeros_like(layer.bias.data)
            return model
    return model


# %% wrong id=initialise name=fan-out-transposed-draw
def initialise_(model, scheme, rng):
    draws = {"he": he_normal, "xavier": xavier_uniform}
    if scheme not in draws:
        raise ValueError(f"unknown scheme {scheme!r}")
    for layer in model:
        if isinstance(layer, (nn.Linear, nn.Conv2d)):
            layer.weight.data = draws[scheme](layer.weight.data.shape[::-1], rng).T
            if layer.bias is not None:
                layer.bias.data = np.zeros_like(layer.bias.data)
    return model


# %% wrong id=initialise name=fresh-rng-per-layer
def initialise_(model, scheme, rng):
    draws = {"he": he_normal, "xavier": xavier_uniform}
    if scheme not in draws:
        raise ValueError(f"unknown scheme {scheme!r}")
    for layer in model:
        if isinstance(layer, (nn.Linear, nn.Conv2d)):
            layer.weight.data = draws[scheme](layer.weight.data.shape, np.random.default_rng())
            if layer.bias is not None:
                layer.bias.data = np.zeros_like(layer.bias.data)
    return model


# %% wrong id=initialise name=unknown-scheme-falls-back-to-he
def initialise_(model, scheme, rng):
    draw = xavier_uniform if scheme == "xavier" else he_normal
    for layer in model:
        if isinstance(layer, (nn.Linear, nn.Conv2d)):
            layer.weight.data = draw(layer.weight.data.shape, rng)
            if layer.bias is not None:
                layer.bias.data = np.zeros_like(layer.bias.data)
    return model


# %% wrong id=initialise name=adds-a-bias-to-bias-free-layers
def initialise_(model, scheme, rng):
    draws = {"he": he_normal, "xavier": xavier_uniform}
    if scheme not in draws:
        raise ValueError(f"unknown scheme {scheme!r}")
    for layer in model:
        if isinstance(layer, (nn.Linear, nn.Conv2d)):
            layer.weight.data = draws[scheme](layer.weight.data.shape, rng)
            n_out = layer.weight.data.shape[1 if isinstance(layer, nn.Linear) else 0]
            layer.bias = nn.Parameter(np.zeros(n_out))
    return model


# %% wrong id=initialise name=same-draw-for-every-layer-of-a-size
def initialise_(model, scheme, rng):
    draws = {"he": he_normal, "xavier": xavier_uniform}
    if scheme not in draws:
        raise ValueError(f"unknown scheme {scheme!r}")
    seed = int(rng.integers(1 << 30))
    for layer in model:
        if isinstance(layer, (nn.Linear, nn.Conv2d)):
            layer.weight.data = draws[scheme](layer.weight.data.shape, np.random.default_rng(seed))
            if layer.bias is not None:
                layer.bias.data = np.zeros_like(layer.bias.data)
    return model


# %% wrong id=initialise name=linear-layers-only
def initialise_(model, scheme, rng):
    draws = {"he": he_normal, "xavier": xavier_uniform}
    if scheme not in draws:
        raise ValueError(f"unknown scheme {scheme!r}")
    for layer in model:
        if isinstance(layer, nn.Linear):
            layer.weight.data = draws[scheme](layer.weight.data.shape, rng)
            if layer.bias is not None:
                layer.bias.data = np.zeros_like(layer.bias.data)
    return model


# %% wrong id=initialise name=conv-weight-drawn-as-a-matrix
def initialise_(model, scheme, rng):
    draws = {"he": he_normal, "xavier": xavier_uniform}
    if scheme not in draws:
        raise ValueError(f"unknown scheme {scheme!r}")
    for layer in model:
        if isinstance(layer, (nn.Linear, nn.Conv2d)):
            shape = layer.weight.data.shape
            flat = (shape[0], int(np.prod(shape[1:]))) if len(shape) > 2 else shape
            layer.weight.data = draws[scheme](flat, rng).reshape(shape)
            if layer.bias is not None:
                layer.bias.data = np.zeros_like(layer.bias.data)
    return model


# %% wrong id=gain name=variance-instead-of-second-moment
def gain(f):
    if not callable(f):
        raise TypeError("f must be callable")
    z = np.linspace(-40.0, 40.0, 800_001)
    density = np.exp(-0.5 * z**2) / np.sqrt(2.0 * np.pi)
    fz = np.asarray(f(z), dtype=np.float64)
    mean = np.trapezoid(fz * density, z)
    variance = np.trapezoid((fz - mean) ** 2 * density, z)
    if variance <= 0:
        raise ValueError("f is constant")
    return float(1.0 / np.sqrt(variance))


# %% wrong id=gain name=monte-carlo-a-million-samples
def gain(f):
    if not callable(f):
        raise TypeError("f must be callable")
    z = np.random.default_rng(0).standard_normal(1_000_000)
    second_moment = np.mean(np.asarray(f(z), dtype=np.float64) ** 2)
    if second_moment == 0:
        raise ValueError("E[f(z)^2] = 0")
    return float(1.0 / np.sqrt(second_moment))


# %% wrong id=gain name=gauss-hermite-ignores-kinks
def gain(f):
    if not callable(f):
        raise TypeError("f must be callable")
    nodes, weights = np.polynomial.hermite_e.hermegauss(100)
    second_moment = np.sum(weights * np.asarray(f(nodes), dtype=np.float64) ** 2) / np.sqrt(2.0 * np.pi)
    if second_moment == 0:
        raise ValueError("E[f(z)^2] = 0")
    return float(1.0 / np.sqrt(second_moment))


# %% wrong id=gain name=square-root-of-the-second-moment
def gain(f):
    if not callable(f):
        raise TypeError("f must be callable")
    z = np.linspace(-40.0, 40.0, 800_001)
    density = np.exp(-0.5 * z**2) / np.sqrt(2.0 * np.pi)
    second_moment = np.trapezoid(np.asarray(f(z), dtype=np.float64) ** 2 * density, z)
    if second_moment == 0:
        raise ValueError("E[f(z)^2] = 0")
    return float(np.sqrt(second_moment))


# %% wrong id=gain name=integrates-only-over-plus-minus-4
def gain(f):
    if not callable(f):
        raise TypeError("f must be callable")
    z = np.linspace(-4.0, 4.0, 80_001)
    density = np.exp(-0.5 * z**2) / np.sqrt(2.0 * np.pi)
    second_moment = np.trapezoid(np.asarray(f(z), dtype=np.float64) ** 2 * density, z)
    if second_moment == 0:
        raise ValueError("E[f(z)^2] = 0")
    return float(1.0 / np.sqrt(second_moment))


# %% wrong id=gain name=density-without-its-normalising-constant
def gain(f):
    if not callable(f):
        raise TypeError("f must be callable")
    z = np.linspace(-40.0, 40.0, 800_001)
    second_moment = np.trapezoid(np.asarray(f(z), dtype=np.float64) ** 2 * np.exp(-0.5 * z**2), z)
    if second_moment == 0:
        raise ValueError("E[f(z)^2] = 0")
    return float(1.0 / np.sqrt(second_moment))


# %% wrong id=gain name=torch-recommended-gain-for-tanh
def gain(f):
    if not callable(f):
        raise TypeError("f must be callable")
    if f is np.tanh:
        return 5.0 / 3.0
    z = np.linspace(-40.0, 40.0, 800_001)
    density = np.exp(-0.5 * z**2) / np.sqrt(2.0 * np.pi)
    second_moment = np.trapezoid(np.asarray(f(z), dtype=np.float64) ** 2 * density, z)
    if second_moment == 0:
        raise ValueError("E[f(z)^2] = 0")
    return float(1.0 / np.sqrt(second_moment))


# %% wrong id=gain name=zero-activation-returns-infinity
def gain(f):
    if not callable(f):
        raise TypeError("f must be callable")
    z = np.linspace(-40.0, 40.0, 800_001)
    density = np.exp(-0.5 * z**2) / np.sqrt(2.0 * np.pi)
    second_moment = np.trapezoid(np.asarray(f(z), dtype=np.float64) ** 2 * density, z)
    with np.errstate(divide="ignore"):
        return float(1.0 / np.sqrt(second_moment))

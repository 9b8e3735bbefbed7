# %% wrong id=batchnorm_forward name=unbiased-variance-to-normalise
def batchnorm_forward(x, gamma, beta, running_mean, running_var, training=True, momentum=0.1, eps=1e-5):
    if training:
        mean, var = x.mean(axis=0), x.var(axis=0, ddof=1)
        running_mean *= 1.0 - momentum
        running_mean += momentum * mean
        running_var *= 1.0 - momentum
        running_var += momentum * var
    else:
        mean, var = running_mean.copy(), running_var.copy()
    x_hat = (x - mean) / np.sqrt(var + eps)
    return gamma * x_hat + beta, NormCache(x, x_hat, mean, var, gamma, eps)


# %% wrong id=batchnorm_forward name=biased-variance-in-running-buffer
def batchnorm_forward(x, gamma, beta, running_mean, running_var, training=True, momentum=0.1, eps=1e-5):
    if training:
        mean, var = x.mean(axis=0), x.var(axis=0)
        running_mean *= 1.0 - momentum
        running_mean += momentum * mean
        running_var *= 1.0 - momentum
        running_var += momentum * var
    else:
        mean, var = running_mean.copy(), running_var.copy()
    x_hat = (x - mean) / np.sqrt(var + eps)
    return gamma * x_hat + beta, NormCache(x, x_hat, mean, var, gamma, eps)


# %% wrong id=batchnorm_forward name=keras-momentum-convention
def batchnorm_forward(x, gamma, beta, running_mean, running_var, training=True, momentum=0.1, eps=1e-5):
    if training:
        n = x.shape[0]
        mean, var = x.mean(axis=0), x.var(axis=0)
        running_mean[:] = momentum * running_mean + (1.0 - momentum) * mean
        running_var[:] = momentum * running_var + (1.0 - momentum) * var * n / (n - 1)
    else:
        mean, var = running_mean.copy(), running_var.copy()
    x_hat = (x - mean) / np.sqrt(var + eps)
    return gamma * x_hat + beta, NormCache(x, x_hat, mean, var, gamma, eps)


# %% wrong id=batchnorm_forward name=buffers-rebound-not-in-place
def batchnorm_forward(x, gamma, beta, running_mean, running_var, training=True, momentum=0.1, eps=1e-5):
    if training:
        n = x.shape[0]
        mean, var = x.mean(axis=0), x.var(axis=0)
        running_mean = (1.0 - momentum) * running_mean + momentum * mean
        running_var = (1.0 - momentum) * running_var + momentum * var * n / (n - 1)
    else:
        mean, var = running_mean.copy(), running_var.copy()
    x_hat = (x - mean) / np.sqrt(var + eps)
    return gamma * x_hat + beta, NormCache(x, x_hat, mean, var, gamma, eps)


# %% wrong id=batchnorm_forward name=eps-outside-the-square-root
def batchnorm_forward(x, gamma, beta, running_mean, running_var, training=True, momentum=0.1, eps=1e-5):
    if training:
        n = x.shape[0]
        mean, var = x.mean(axis=0), x.var(axis=0)
        running_mean *= 1.0 - momentum
        running_mean += momentum * mean
        running_var *= 1.0 - momentum
        running_var += momentum * var * n / (n - 1)
    else:
        mean, var = running_mean.copy(), running_var.copy()
    x_hat = (x - mean) / (np.sqrt(var) + eps)
    return gamma * x_hat + beta, NormCache(x, x_hat, mean, var, gamma, eps)


# %% wrong id=batchnorm_forward name=eval-mode-uses-batch-statistics
def batchnorm_forward(x, gamma, beta, running_mean, running_var, training=True, momentum=0.1, eps=1e-5):
    n = x.shape[0]
    mean, var = x.mean(axis=0), x.var(axis=0)
    if training:
        running_mean *= 1.0 - momentum
        running_mean += momentum * mean
        running_var *= 1.0 - momentum
        running_var += momentum * var * n / (n - 1)
    x_hat = (x - mean) / np.sqrt(var + eps)
    return gamma * x_hat + beta, NormCache(x, x_hat, mean, var, gamma, eps)


# %% wrong id=batchnorm_forward name=eval-mode-updates-buffers
def batchnorm_forward(x, gamma, beta, running_mean, running_var, training=True, momentum=0.1, eps=1e-5):
    n = x.shape[0]
    if training:
        mean, var = x.mean(axis=0), x.var(axis=0)
    else:
        mean, var = running_mean.copy(), running_var.copy()
    running_mean *= 1.0 - momentum
    running_mean += momentum * x.mean(axis=0)
    running_var *= 1.0 - momentum
    running_var += momentum * x.var(axis=0) * n / max(n - 1, 1)
    x_hat = (x - mean) / np.sqrt(var + eps)
    return gamma * x_hat + beta, NormCache(x, x_hat, mean, var, gamma, eps)


# %% wrong id=batchnorm_forward name=statistics-over-the-features-axis
def batchnorm_forward(x, gamma, beta, running_mean, running_var, training=True, momentum=0.1, eps=1e-5):
    if training:
        n = x.shape[1]
        mean, var = x.mean(axis=1, keepdims=True), x.var(axis=1, keepdims=True)
        running_mean *= 1.0 - momentum
        running_mean += momentum * mean.mean()
        running_var *= 1.0 - momentum
        running_var += momentum * var.mean() * n / (n - 1)
    else:
        mean, var = running_mean.copy(), running_var.copy()
    x_hat = (x - mean) / np.sqrt(var + eps)
    return gamma * x_hat + beta, NormCache(x, x_hat, mean, var, gamma, eps)


# %% wrong id=batchnorm_forward name=gamma-and-beta-swapped
def batchnorm_forward(x, gamma, beta, running_mean, running_var, training=True, momentum=0.1, eps=1e-5):
    if training:
        n = x.shape[0]
        mean, var = x.mean(axis=0), x.var(axis=0)
        running_mean *= 1.0 - momentum
        running_mean += momentum * mean
        running_var *= 1.0 - momentum
        running_var += momentum * var * n / (n - 1)
    else:
        mean, var = running_mean.copy(), running_var.copy()
    x_hat = (x - mean) / np.sqrt(var + eps)
    return beta * x_hat + gamma, NormCache(x, x_hat, mean, var, gamma, eps)


# %% wrong id=batchnorm_forward name=modifies-x-in-place
def batchnorm_forward(x, gamma, beta, running_mean, running_var, training=True, momentum=0.1, eps=1e-5):
    if training:
        n = x.shape[0]
        mean, var = x.mean(axis=0), x.var(axis=0)
        running_mean *= 1.0 - momentum
        running_mean += momentum * mean
        running_var *= 1.0 - momentum
        running_var += momentum * var * n / (n - 1)
    else:
        mean, var = running_mean.copy(), running_var.copy()
    x0 = x.copy()
    x -= mean
    x /= np.sqrt(var + eps)
    return gamma * x + beta, NormCache(x0, x, mean, var, gamma, eps)


# %% wrong id=batchnorm_forward name=cache-holds-the-running-statistics
def batchnorm_forward(x, gamma, beta, running_mean, running_var, training=True, momentum=0.1, eps=1e-5):
    mean, var = (x.mean(axis=0), x.var(axis=0)) if training else (running_mean.copy(), running_var.copy())
    if training:
        n = x.shape[0]
        running_mean *= 1.0 - momentum
        running_mean += momentum * mean
        running_var *= 1.0 - momentum
        running_var += momentum * var * n / (n - 1)
    x_hat = (x - mean) / np.sqrt(var + eps)
    return gamma * x_hat + beta, NormCache(x, x_hat, running_mean.copy(), running_var.copy(), gamma, eps)


# %% wrong id=batchnorm_backward name=no-variance-path
def batchnorm_backward(dout, cache):
    r = 1.0 / np.sqrt(cache.var + cache.eps)
    dx_hat = dout * cache.gamma
    dx = r * (dx_hat - dx_hat.mean(axis=0))  # forgets that the variance depends on x
    return dx, (dout * cache.x_hat).sum(axis=0), dout.sum(axis=0)


# %% wrong id=batchnorm_backward name=no-mean-path
def batchnorm_backward(dout, cache):
    n = dout.shape[0]
    xc = cache.x - cache.mean
    s = np.sqrt(cache.var + cache.eps)
    dx_hat = dout * cache.gamma
    dv = (dx_hat * xc).sum(axis=0) * -0.5 / s**3
    dx = dx_hat / s + 2.0 * xc / n * dv  # forgets the path through the mean
    return dx, (dout * cache.x_hat).sum(axis=0), dout.sum(axis=0)


# %% wrong id=batchnorm_backward name=treats-statistics-as-constants
def batchnorm_backward(dout, cache):
    dx = dout * cache.gamma / np.sqrt(cache.var + cache.eps)
    return dx, (dout * cache.x_hat).sum(axis=0), dout.sum(axis=0)


# %% wrong id=batchnorm_backward name=dgamma-dbeta-swapped
def batchnorm_backward(dout, cache):
    n = dout.shape[0]
    g = dout * cache.gamma
    dx = (n * g - g.sum(axis=0) - cache.x_hat * (g * cache.x_hat).sum(axis=0)) / (n * np.sqrt(cache.var + cache.eps))
    return dx, dout.sum(axis=0), (dout * cache.x_hat).sum(axis=0)


# %% wrong id=batchnorm_backward name=dgamma-uses-x-not-x-hat
def batchnorm_backward(dout, cache):
    n = dout.shape[0]
    g = dout * cache.gamma
    dx = (n * g - g.sum(axis=0) - cache.x_hat * (g * cache.x_hat).sum(axis=0)) / (n * np.sqrt(cache.var + cache.eps))
    return dx, (dout * cache.x).sum(axis=0), dout.sum(axis=0)


# %% wrong id=batchnorm_backward name=forgets-gamma-in-dx
def batchnorm_backward(dout, cache):
    n = dout.shape[0]
    g = dout
    dx = (n * g - g.sum(axis=0) - cache.x_hat * (g * cache.x_hat).sum(axis=0)) / (n * np.sqrt(cache.var + cache.eps))
    return dx, (dout * cache.x_hat).sum(axis=0), dout.sum(axis=0)


# %% wrong id=batchnorm_backward name=variance-derivative-over-n-minus-1
def batchnorm_backward(dout, cache):
    n = dout.shape[0]
    xc = cache.x - cache.mean
    s = np.sqrt(cache.var + cache.eps)
    dx_hat = dout * cache.gamma
    dv = (dx_hat * xc).sum(axis=0) * -0.5 / s**3
    dxc = dx_hat / s + 2.0 * xc / (n - 1) * dv
    dx = dxc - dxc.sum(axis=0) / n
    return dx, (dout * cache.x_hat).sum(axis=0), dout.sum(axis=0)


# %% wrong id=batchnorm_backward name=dbeta-not-summed-over-batch
def batchnorm_backward(dout, cache):
    n = dout.shape[0]
    g = dout * cache.gamma
    dx = (n * g - g.sum(axis=0) - cache.x_hat * (g * cache.x_hat).sum(axis=0)) / (n * np.sqrt(cache.var + cache.eps))
    return dx, (dout * cache.x_hat).mean(axis=0), dout.mean(axis=0)


# %% wrong id=batchnorm_backward name=modifies-dout-in-place
def batchnorm_backward(dout, cache):
    n = dout.shape[0]
    dbeta, dgamma = dout.sum(axis=0), (dout * cache.x_hat).sum(axis=0)
    dout *= cache.gamma
    dx = (n * dout - dout.sum(axis=0) - cache.x_hat * (dout * cache.x_hat).sum(axis=0)) / (
        n * np.sqrt(cache.var + cache.eps)
    )
    return dx, dgamma, dbeta


# %% wrong id=batchnorm_backward_alt name=missing-variance-term
def batchnorm_backward_alt(dout, cache):
    n = dout.shape[0]
    g = dout * cache.gamma
    dx = (n * g - g.sum(axis=0)) / (n * np.sqrt(cache.var + cache.eps))
    return dx, (dout * cache.x_hat).sum(axis=0), dout.sum(axis=0)


# %% wrong id=batchnorm_backward_alt name=forgets-to-divide-by-n
def batchnorm_backward_alt(dout, cache):
    n = dout.shape[0]
    g = dout * cache.gamma
    dx = (n * g - g.sum(axis=0) - cache.x_hat * (g * cache.x_hat).sum(axis=0)) / np.sqrt(cache.var + cache.eps)
    return dx, (dout * cache.x_hat).sum(axis=0), dout.sum(axis=0)


# %% wrong id=batchnorm_backward_alt name=sums-over-the-features-axis
def batchnorm_backward_alt(dout, cache):
    n = dout.shape[0]
    g = dout * cache.gamma
    dx = (n * g - g.sum(axis=1, keepdims=True) - cache.x_hat * (g * cache.x_hat).sum(axis=1, keepdims=True)) / (
        n * np.sqrt(cache.var + cache.eps)
    )
    return dx, (dout * cache.x_hat).sum(axis=0), dout.sum(axis=0)


# %% wrong id=batchnorm_backward_alt name=wrong-sign-of-the-variance-term
def batchnorm_backward_alt(dout, cache):
    n = dout.shape[0]
    g = dout * cache.gamma
    dx = (n * g - g.sum(axis=0) + cache.x_hat * (g * cache.x_hat).sum(axis=0)) / (n * np.sqrt(cache.var + cache.eps))
    return dx, (dout * cache.x_hat).sum(axis=0), dout.sum(axis=0)


# %% wrong id=layernorm_forward name=normalises-over-the-batch-axis
def layernorm_forward(x, gamma, beta, eps=1e-5):
    mean, var = x.mean(axis=0), x.var(axis=0)
    x_hat = (x - mean) / np.sqrt(var + eps)
    return gamma * x_hat + beta, NormCache(x, x_hat, mean, var, gamma, eps)


# %% wrong id=layernorm_forward name=unbiased-variance
def layernorm_forward(x, gamma, beta, eps=1e-5):
    mean, var = x.mean(axis=1, keepdims=True), x.var(axis=1, ddof=1, keepdims=True)
    x_hat = (x - mean) / np.sqrt(var + eps)
    return gamma * x_hat + beta, NormCache(x, x_hat, mean, var, gamma, eps)


# %% wrong id=layernorm_forward name=eps-outside-the-square-root
def layernorm_forward(x, gamma, beta, eps=1e-5):
    mean, var = x.mean(axis=1, keepdims=True), x.var(axis=1, keepdims=True)
    x_hat = (x - mean) / (np.sqrt(var) + eps)
    return gamma * x_hat + beta, NormCache(x, x_hat, mean, var, gamma, eps)


# %% wrong id=layernorm_forward name=no-keepdims-statistics
def layernorm_forward(x, gamma, beta, eps=1e-5):
    mean, var = x.mean(axis=1), x.var(axis=1)
    x_hat = ((x.T - mean) / np.sqrt(var + eps)).T
    return gamma * x_hat + beta, NormCache(x, x_hat, mean, var, gamma, eps)


# %% wrong id=layernorm_forward name=forgets-beta
def layernorm_forward(x, gamma, beta, eps=1e-5):
    mean, var = x.mean(axis=1, keepdims=True), x.var(axis=1, keepdims=True)
    x_hat = (x - mean) / np.sqrt(var + eps)
    return gamma * x_hat, NormCache(x, x_hat, mean, var, gamma, eps)


# %% wrong id=layernorm_backward name=batch-norm-axes
def layernorm_backward(dout, cache):
    n = dout.shape[0]
    g = dout * cache.gamma
    dx = (n * g - g.sum(axis=0) - cache.x_hat * (g * cache.x_hat).sum(axis=0)) / (n * np.sqrt(cache.var + cache.eps))
    return dx, (dout * cache.x_hat).sum(axis=0), dout.sum(axis=0)


# %% wrong id=layernorm_backward name=dgamma-summed-over-features
def layernorm_backward(dout, cache):
    d = dout.shape[1]
    g = dout * cache.gamma
    dx = (d * g - g.sum(axis=1, keepdims=True) - cache.x_hat * (g * cache.x_hat).sum(axis=1, keepdims=True)) / (
        d * np.sqrt(cache.var + cache.eps)
    )
    return dx, (dout * cache.x_hat).sum(axis=1), dout.sum(axis=1)


# %% wrong id=layernorm_backward name=no-variance-path
def layernorm_backward(dout, cache):
    g = dout * cache.gamma
    dx = (g - g.mean(axis=1, keepdims=True)) / np.sqrt(cache.var + cache.eps)
    return dx, (dout * cache.x_hat).sum(axis=0), dout.sum(axis=0)


# %% wrong id=layernorm_backward name=divides-by-n-not-d
def layernorm_backward(dout, cache):
    n, d = dout.shape
    g = dout * cache.gamma
    dx = (d * g - g.sum(axis=1, keepdims=True) - cache.x_hat * (g * cache.x_hat).sum(axis=1, keepdims=True)) / (
        n * np.sqrt(cache.var + cache.eps)
    )
    return dx, (dout * cache.x_hat).sum(axis=0), dout.sum(axis=0)


# %% wrong id=spatial_batchnorm_forward name=reshape-without-transpose-mixes-channels
def spatial_batchnorm_forward(x, gamma, beta, running_mean, running_var, training=True, momentum=0.1, eps=1e-5):
    n, c, h, w = x.shape
    out, cache = batchnorm_forward(x.reshape(-1, c), gamma, beta, running_mean, running_var, training, momentum, eps)
    return out.reshape(n, c, h, w), cache


# %% wrong id=spatial_batchnorm_forward name=output-reshaped-back-without-transpose
def spatial_batchnorm_forward(x, gamma, beta, running_mean, running_var, training=True, momentum=0.1, eps=1e-5):
    n, c, h, w = x.shape
    rows = x.transpose(0, 2, 3, 1).reshape(-1, c)
    out, cache = batchnorm_forward(rows, gamma, beta, running_mean, running_var, training, momentum, eps)
    return out.reshape(n, c, h, w), cache


# %% wrong id=spatial_batchnorm_forward name=statistics-per-position-over-the-batch-only
def spatial_batchnorm_forward(x, gamma, beta, running_mean, running_var, training=True, momentum=0.1, eps=1e-5):
    out, caches = np.empty_like(x), {}
    for i in range(x.shape[2]):
        for j in range(x.shape[3]):
            out[:, :, i, j], caches[i, j] = batchnorm_forward(
                x[:, :, i, j], gamma, beta, running_mean, running_var, training, momentum, eps
            )
    return out, caches


# %% wrong id=spatial_batchnorm_forward name=swapaxes-keeps-h-w-order-wrong
def spatial_batchnorm_forward(x, gamma, beta, running_mean, running_var, training=True, momentum=0.1, eps=1e-5):
    n, c, h, w = x.shape
    rows = np.swapaxes(x, 1, 3).reshape(-1, c)  # (N, W, H, C): fine for the statistics
    out, cache = batchnorm_forward(rows, gamma, beta, running_mean, running_var, training, momentum, eps)
    return out.reshape(n, h, w, c).transpose(0, 3, 1, 2), cache  # but brought back as if it were (N, H, W, C)


# %% wrong id=spatial_batchnorm_forward name=buffers-copied-not-updated
def spatial_batchnorm_forward(x, gamma, beta, running_mean, running_var, training=True, momentum=0.1, eps=1e-5):
    n, c, h, w = x.shape
    rows = x.transpose(0, 2, 3, 1).reshape(-1, c)
    out, cache = batchnorm_forward(rows, gamma, beta, running_mean.copy(), running_var.copy(), training, momentum, eps)
    return out.reshape(n, h, w, c).transpose(0, 3, 1, 2), cache


# %% wrong id=spatial_batchnorm_backward name=dout-reshaped-without-transpose
def spatial_batchnorm_backward(dout, cache):
    n, c, h, w = dout.shape
    drows, dgamma, dbeta = batchnorm_backward_alt(dout.reshape(-1, c), cache)
    return drows.reshape(n, h, w, c).transpose(0, 3, 1, 2), dgamma, dbeta


# %% wrong id=spatial_batchnorm_backward name=dx-reshaped-back-without-transpose
def spatial_batchnorm_backward(dout, cache):
    n, c, h, w = dout.shape
    drows, dgamma, dbeta = batchnorm_backward_alt(dout.transpose(0, 2, 3, 1).reshape(-1, c), cache)
    return drows.reshape(n, c, h, w), dgamma, dbeta


# %% wrong id=spatial_batchnorm_backward name=dgamma-dbeta-averaged-over-positions
def spatial_batchnorm_backward(dout, cache):
    n, c, h, w = dout.shape
    drows, dgamma, dbeta = batchnorm_backward_alt(dout.transpose(0, 2, 3, 1).reshape(-1, c), cache)
    return drows.reshape(n, h, w, c).transpose(0, 3, 1, 2), dgamma / (h * w), dbeta / (h * w)


# %% wrong id=spatial_batchnorm_backward name=statistics-treated-as-constants
def spatial_batchnorm_backward(dout, cache):
    n, c, h, w = dout.shape
    rows = dout.transpose(0, 2, 3, 1).reshape(-1, c)
    drows = rows * cache.gamma / np.sqrt(cache.var + cache.eps)
    dgamma, dbeta = (rows * cache.x_hat).sum(axis=0), rows.sum(axis=0)
    return drows.reshape(n, h, w, c).transpose(0, 3, 1, 2), dgamma, dbeta


# %% wrong id=group_norm_forward name=one-group-per-sample-layer-norm
def group_norm_forward(x, gamma, beta, num_groups, eps=1e-5):
    n, c = x.shape[:2]
    rows = x.reshape(n, -1)
    x_hat, ln_cache = layernorm_forward(rows, np.ones(rows.shape[1]), np.zeros(rows.shape[1]), eps)
    x_hat = x_hat.reshape(x.shape)
    return gamma.reshape(1, c, 1, 1) * x_hat + beta.reshape(1, c, 1, 1), (ln_cache, x_hat, gamma)


# %% wrong id=group_norm_forward name=one-channel-per-group-instance-norm
def group_norm_forward(x, gamma, beta, num_groups, eps=1e-5):
    n, c = x.shape[:2]
    rows = x.reshape(n * c, -1)
    x_hat, ln_cache = layernorm_forward(rows, np.ones(rows.shape[1]), np.zeros(rows.shape[1]), eps)
    x_hat = x_hat.reshape(x.shape)
    return gamma.reshape(1, c, 1, 1) * x_hat + beta.reshape(1, c, 1, 1), (ln_cache, x_hat, gamma)


# %% wrong id=group_norm_forward name=strided-groups-not-consecutive-channels
def group_norm_forward(x, gamma, beta, num_groups, eps=1e-5):
    n, c, h, w = x.shape
    strided = x.reshape(n, c // num_groups, num_groups, h, w).transpose(0, 2, 1, 3, 4)  # group g: g, g+G, ...
    rows = strided.reshape(n * num_groups, -1)
    x_hat, ln_cache = layernorm_forward(rows, np.ones(rows.shape[1]), np.zeros(rows.shape[1]), eps)
    x_hat = x_hat.reshape(strided.shape).transpose(0, 2, 1, 3, 4).reshape(x.shape)
    return gamma.reshape(1, c, 1, 1) * x_hat + beta.reshape(1, c, 1, 1), (ln_cache, x_hat, gamma)


# %% wrong id=group_norm_forward name=statistics-over-the-batch-too
def group_norm_forward(x, gamma, beta, num_groups, eps=1e-5):
    n, c = x.shape[:2]
    groups = x.reshape(n, num_groups, -1)
    mean, var = groups.mean(axis=(0, 2), keepdims=True), groups.var(axis=(0, 2), keepdims=True)
    x_hat = ((groups - mean) / np.sqrt(var + eps)).reshape(x.shape)
    return gamma.reshape(1, c, 1, 1) * x_hat + beta.reshape(1, c, 1, 1), (None, x_hat, gamma)


# %% wrong id=group_norm_forward name=unbiased-variance
def group_norm_forward(x, gamma, beta, num_groups, eps=1e-5):
    n, c = x.shape[:2]
    rows = x.reshape(n * num_groups, -1)
    mean, var = rows.mean(axis=1, keepdims=True), rows.var(axis=1, ddof=1, keepdims=True)
    x_hat = ((rows - mean) / np.sqrt(var + eps)).reshape(x.shape)
    return gamma.reshape(1, c, 1, 1) * x_hat + beta.reshape(1, c, 1, 1), (None, x_hat, gamma)


# %% wrong id=group_norm_forward name=gamma-applied-before-normalising
def group_norm_forward(x, gamma, beta, num_groups, eps=1e-5):
    n, c = x.shape[:2]
    rows = (gamma.reshape(1, c, 1, 1) * x).reshape(n * num_groups, -1)
    x_hat, ln_cache = layernorm_forward(rows, np.ones(rows.shape[1]), np.zeros(rows.shape[1]), eps)
    x_hat = x_hat.reshape(x.shape)
    return x_hat + beta.reshape(1, c, 1, 1), (ln_cache, x_hat, gamma)


# %% wrong id=group_norm_backward name=forgets-gamma-in-dx
def group_norm_backward(dout, cache):
    ln_cache, x_hat, gamma = cache
    dgamma, dbeta = (dout * x_hat).sum(axis=(0, 2, 3)), dout.sum(axis=(0, 2, 3))
    drows, _, _ = layernorm_backward(dout.reshape(ln_cache.x.shape), ln_cache)
    return drows.reshape(dout.shape), dgamma, dbeta


# %% wrong id=group_norm_backward name=statistics-treated-as-constants
def group_norm_backward(dout, cache):
    ln_cache, x_hat, gamma = cache
    dgamma, dbeta = (dout * x_hat).sum(axis=(0, 2, 3)), dout.sum(axis=(0, 2, 3))
    dx_hat = (dout * gamma.reshape(1, -1, 1, 1)).reshape(ln_cache.x.shape)
    return (dx_hat / np.sqrt(ln_cache.var + ln_cache.eps)).reshape(dout.shape), dgamma, dbeta


# %% wrong id=group_norm_backward name=dgamma-dbeta-swapped
def group_norm_backward(dout, cache):
    ln_cache, x_hat, gamma = cache
    dgamma, dbeta = (dout * x_hat).sum(axis=(0, 2, 3)), dout.sum(axis=(0, 2, 3))
    dx_hat = dout * gamma.reshape(1, -1, 1, 1)
    drows, _, _ = layernorm_backward(dx_hat.reshape(ln_cache.x.shape), ln_cache)
    return drows.reshape(dout.shape), dbeta, dgamma


# %% wrong id=group_norm_backward name=dgamma-not-summed-over-positions
def group_norm_backward(dout, cache):
    ln_cache, x_hat, gamma = cache
    dgamma, dbeta = (dout * x_hat).sum(axis=0), dout.sum(axis=0)
    dx_hat = dout * gamma.reshape(1, -1, 1, 1)
    drows, _, _ = layernorm_backward(dx_hat.reshape(ln_cache.x.shape), ln_cache)
    return drows.reshape(dout.shape), dgamma, dbeta


# %% wrong id=group_norm_backward name=modifies-dout-in-place
def group_norm_backward(dout, cache):
    ln_cache, x_hat, gamma = cache
    dgamma, dbeta = (dout * x_hat).sum(axis=(0, 2, 3)), dout.sum(axis=(0, 2, 3))
    dout *= gamma.reshape(1, -1, 1, 1)
    drows, _, _ = layernorm_backward(dout.reshape(ln_cache.x.shape), ln_cache)
    return drows.reshape(dout.shape), dgamma, dbeta


# %% wrong id=fold_batchnorm name=linear-weight-scaled-along-axis-0-like-a-conv
def fold_batchnorm(weight, bias, gamma, beta, running_mean, running_var, eps=1e-5):
    scale = gamma / np.sqrt(running_var + eps)
    bias = np.zeros_like(scale) if bias is None else bias
    return weight * scale.reshape((-1,) + (1,) * (weight.ndim - 1)), (bias - running_mean) * scale + beta


# %% wrong id=fold_batchnorm name=conv-weight-scaled-along-the-last-axis-like-a-linear
def fold_batchnorm(weight, bias, gamma, beta, running_mean, running_var, eps=1e-5):
    scale = gamma / np.sqrt(running_var + eps)
    bias = np.zeros_like(scale) if bias is None else bias
    return weight * scale, (bias - running_mean) * scale + beta


# %% wrong id=fold_batchnorm name=forgets-eps
def fold_batchnorm(weight, bias, gamma, beta, running_mean, running_var, eps=1e-5):
    scale = gamma / np.sqrt(running_var)
    bias = np.zeros_like(scale) if bias is None else bias
    shape = (1, -1) if weight.ndim == 2 else (-1, 1, 1, 1)
    return weight * scale.reshape(shape), (bias - running_mean) * scale + beta


# %% wrong id=fold_batchnorm name=variance-instead-of-standard-deviation
def fold_batchnorm(weight, bias, gamma, beta, running_mean, running_var, eps=1e-5):
    scale = gamma / (running_var + eps)
    bias = np.zeros_like(scale) if bias is None else bias
    shape = (1, -1) if weight.ndim == 2 else (-1, 1, 1, 1)
    return weight * scale.reshape(shape), (bias - running_mean) * scale + beta


# %% wrong id=fold_batchnorm name=mean-not-scaled-in-the-bias
def fold_batchnorm(weight, bias, gamma, beta, running_mean, running_var, eps=1e-5):
    scale = gamma / np.sqrt(running_var + eps)
    bias = np.zeros_like(scale) if bias is None else bias
    shape = (1, -1) if weight.ndim == 2 else (-1, 1, 1, 1)
    return weight * scale.reshape(shape), bias * scale - running_mean + beta


# %% wrong id=fold_batchnorm name=crashes-without-a-bias
def fold_batchnorm(weight, bias, gamma, beta, running_mean, running_var, eps=1e-5):
    scale = gamma / np.sqrt(running_var + eps)
    shape = (1, -1) if weight.ndim == 2 else (-1, 1, 1, 1)
    return weight * scale.reshape(shape), (bias - running_mean) * scale + beta


# %% wrong id=fold_batchnorm name=modifies-the-weight-in-place
def fold_batchnorm(weight, bias, gamma, beta, running_mean, running_var, eps=1e-5):
    scale = gamma / np.sqrt(running_var + eps)
    bias = np.zeros_like(scale) if bias is None else bias
    shape = (1, -1) if weight.ndim == 2 else (-1, 1, 1, 1)
    weight *= scale.reshape(shape)
    return weight, (bias - running_mean) * scale + beta

# Typical wrong answers for 07_convolutions: each must lose points (see coursekit/instructor/mutations.py).

# %% wrong id=smooth3 name=kernel-0.33
def smooth3(f, mode="valid"):
    f = np.asarray(f, dtype=np.float64)
    if mode == "same":
        f = np.concatenate([[0.0], f, [0.0]])
    elif mode != "valid":
        raise ValueError(mode)
    return 0.33 * (f[:-2] + f[1:-1] + f[2:])


# %% wrong id=smooth3 name=same-replicates-edges
def smooth3(f, mode="valid"):
    f = np.asarray(f, dtype=np.float64)
    if mode == "same":
        f = np.pad(f, 1, mode="edge")
    elif mode != "valid":
        raise ValueError(mode)
    return (f[:-2] + f[1:-1] + f[2:]) / 3


# %% wrong id=smooth3 name=same-averages-available-values-only
def smooth3(f, mode="valid"):
    f = np.asarray(f, dtype=np.float64)
    if mode not in ("valid", "same"):
        raise ValueError(mode)
    out = (f[:-2] + f[1:-1] + f[2:]) / 3
    if mode == "same":
        out = np.concatenate([[(f[0] + f[1]) / 2], out, [(f[-2] + f[-1]) / 2]])
    return out


# %% wrong id=smooth3 name=same-pads-one-side
def smooth3(f, mode="valid"):
    f = np.asarray(f, dtype=np.float64)
    if mode == "same":
        f = np.concatenate([f, [0.0, 0.0]])
    elif mode != "valid":
        raise ValueError(mode)
    return (f[:-2] + f[1:-1] + f[2:]) / 3


# %% wrong id=smooth3 name=valid-off-by-one
def smooth3(f, mode="valid"):
    f = np.asarray(f, dtype=np.float64)
    if mode == "same":
        f = np.concatenate([[0.0], f, [0.0]])
    elif mode != "valid":
        raise ValueError(mode)
    return np.array([(f[i] + f[i + 1] + f[i + 2]) / 3 for i in range(len(f) - 3)])


# %% wrong id=smooth3 name=unknown-mode-falls-back-to-valid
def smooth3(f, mode="valid"):
    f = np.asarray(f, dtype=np.float64)
    if mode == "same":
        f = np.concatenate([[0.0], f, [0.0]])
    return (f[:-2] + f[1:-1] + f[2:]) / 3


# %% wrong id=smooth3 name=modifies-input-in-place
def smooth3(f, mode="valid"):
    if mode not in ("valid", "same"):
        raise ValueError(mode)
    f /= 3
    if mode == "same":
        f = np.concatenate([[0.0], f, [0.0]])
    return f[:-2] + f[1:-1] + f[2:]


# %% wrong id=output_size name=padding-counted-once
def output_size(W, K, S=1, P=0):
    if W < 1 or K < 1 or S < 1 or P < 0 or K > W + 2 * P:
        raise ValueError("bad arguments")
    return (W - K + P) // S + 1


# %% wrong id=output_size name=true-division-float
def output_size(W, K, S=1, P=0):
    if W < 1 or K < 1 or S < 1 or P < 0 or K > W + 2 * P:
        raise ValueError("bad arguments")
    return (W - K + 2 * P) / S + 1


# %% wrong id=output_size name=rounds-to-nearest
def output_size(W, K, S=1, P=0):
    if W < 1 or K < 1 or S < 1 or P < 0 or K > W + 2 * P:
        raise ValueError("bad arguments")
    return int(round((W - K + 2 * P) / S)) + 1


# %% wrong id=output_size name=rounds-up-ceil-mode
def output_size(W, K, S=1, P=0):
    if W < 1 or K < 1 or S < 1 or P < 0 or K > W + 2 * P:
        raise ValueError("bad arguments")
    return -(-(W - K + 2 * P) // S) + 1


# %% wrong id=output_size name=missing-plus-one
def output_size(W, K, S=1, P=0):
    if W < 1 or K < 1 or S < 1 or P < 0 or K > W + 2 * P:
        raise ValueError("bad arguments")
    return (W - K + 2 * P) // S


# %% wrong id=output_size name=no-validation
def output_size(W, K, S=1, P=0):
    return (W - K + 2 * P) // S + 1


# %% wrong id=output_size name=ignores-padding-in-validity-check
def output_size(W, K, S=1, P=0):
    if W < 1 or K < 1 or S < 1 or P < 0 or K > W:
        raise ValueError("bad arguments")
    return (W - K + 2 * P) // S + 1


# %% wrong id=conv2d_naive name=flipped-kernel-true-convolution
def conv2d_naive(x, w, b, stride=1, padding=0):
    n, _, h, wd = x.shape
    f, _, hh, ww = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    ho, wo = (h + 2 * padding - hh) // stride + 1, (wd + 2 * padding - ww) // stride + 1
    out = np.zeros((n, f, ho, wo))
    for i in range(ho):
        for j in range(wo):
            window = xp[:, :, i * stride : i * stride + hh, j * stride : j * stride + ww]
            for k in range(f):
                out[:, k, i, j] = np.sum(window * w[k, :, ::-1, ::-1], axis=(1, 2, 3)) + b[k]
    return out


# %% wrong id=conv2d_naive name=missing-bias
def conv2d_naive(x, w, b, stride=1, padding=0):
    n, _, h, wd = x.shape
    f, _, hh, ww = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    ho, wo = (h + 2 * padding - hh) // stride + 1, (wd + 2 * padding - ww) // stride + 1
    out = np.zeros((n, f, ho, wo))
    for i in range(ho):
        for j in range(wo):
            window = xp[:, :, i * stride : i * stride + hh, j * stride : j * stride + ww]
            for k in range(f):
                out[:, k, i, j] = np.sum(window * w[k], axis=(1, 2, 3))
    return out


# %% wrong id=conv2d_naive name=stride-ignored-in-window-position
def conv2d_naive(x, w, b, stride=1, padding=0):
    n, _, h, wd = x.shape
    f, _, hh, ww = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    ho, wo = (h + 2 * padding - hh) // stride + 1, (wd + 2 * padding - ww) // stride + 1
    out = np.zeros((n, f, ho, wo))
    for i in range(ho):
        for j in range(wo):
            window = xp[:, :, i : i + hh, j : j + ww]
            for k in range(f):
                out[:, k, i, j] = np.sum(window * w[k], axis=(1, 2, 3)) + b[k]
    return out


# %% wrong id=conv2d_naive name=padding-one-side-only
def conv2d_naive(x, w, b, stride=1, padding=0):
    n, _, h, wd = x.shape
    f, _, hh, ww = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (2 * padding, 0), (2 * padding, 0)))
    ho, wo = (h + 2 * padding - hh) // stride + 1, (wd + 2 * padding - ww) // stride + 1
    out = np.zeros((n, f, ho, wo))
    for i in range(ho):
        for j in range(wo):
            window = xp[:, :, i * stride : i * stride + hh, j * stride : j * stride + ww]
            for k in range(f):
                out[:, k, i, j] = np.sum(window * w[k], axis=(1, 2, 3)) + b[k]
    return out


# %% wrong id=conv2d_naive name=first-channel-only
def conv2d_naive(x, w, b, stride=1, padding=0):
    n, _, h, wd = x.shape
    f, _, hh, ww = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    ho, wo = (h + 2 * padding - hh) // stride + 1, (wd + 2 * padding - ww) // stride + 1
    out = np.zeros((n, f, ho, wo))
    for i in range(ho):
        for j in range(wo):
            window = xp[:, 0, i * stride : i * stride + hh, j * stride : j * stride + ww]
            for k in range(f):
                out[:, k, i, j] = np.sum(window * w[k, 0], axis=(1, 2)) + b[k]
    return out


# %% wrong id=conv2d_naive name=square-kernel-assumed
def conv2d_naive(x, w, b, stride=1, padding=0):
    n, _, h, wd = x.shape
    f, _, hh, _ = w.shape
    ww = hh
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    ho, wo = (h + 2 * padding - hh) // stride + 1, (wd + 2 * padding - ww) // stride + 1
    out = np.zeros((n, f, ho, wo))
    for i in range(ho):
        for j in range(wo):
            window = xp[:, :, i * stride : i * stride + hh, j * stride : j * stride + ww]
            for k in range(f):
                out[:, k, i, j] = np.sum(window[:, :, :, : w.shape[3]] * w[k], axis=(1, 2, 3)) + b[k]
    return out


# %% wrong id=conv2d_naive name=edge-padding-instead-of-zeros
def conv2d_naive(x, w, b, stride=1, padding=0):
    n, _, h, wd = x.shape
    f, _, hh, ww = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)), mode="edge")
    ho, wo = (h + 2 * padding - hh) // stride + 1, (wd + 2 * padding - ww) // stride + 1
    out = np.zeros((n, f, ho, wo))
    for i in range(ho):
        for j in range(wo):
            window = xp[:, :, i * stride : i * stride + hh, j * stride : j * stride + ww]
            for k in range(f):
                out[:, k, i, j] = np.sum(window * w[k], axis=(1, 2, 3)) + b[k]
    return out


# %% wrong id=conv2d_naive_backward name=db-mean-over-batch
def conv2d_naive_backward(dout, x, w, stride=1, padding=0):
    out, cache = F.conv2d_forward(x, w, np.zeros(w.shape[0]), stride=stride, padding=padding)
    dx, dw, db = F.conv2d_backward(dout, cache)
    return dx, dw, dout.sum(axis=(2, 3)).mean(axis=0)


# %% wrong id=conv2d_naive_backward name=dw-overwritten-not-accumulated
def conv2d_naive_backward(dout, x, w, stride=1, padding=0):
    _, _, h, wd = x.shape
    f, _, hh, ww = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    dxp, dw = np.zeros_like(xp), np.zeros_like(w)
    for i in range(dout.shape[2]):
        for j in range(dout.shape[3]):
            rows, cols = slice(i * stride, i * stride + hh), slice(j * stride, j * stride + ww)
            for k in range(f):
                g = dout[:, k, i, j]
                dxp[:, :, rows, cols] += g[:, None, None, None] * w[k]
                dw[k] = np.tensordot(g, xp[:, :, rows, cols], axes=(0, 0))
    return dxp[:, :, padding : padding + h, padding : padding + wd], dw, dout.sum(axis=(0, 2, 3))


# %% wrong id=conv2d_naive_backward name=dx-assigned-not-accumulated
def conv2d_naive_backward(dout, x, w, stride=1, padding=0):
    _, _, h, wd = x.shape
    f, _, hh, ww = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    dxp, dw = np.zeros_like(xp), np.zeros_like(w)
    for i in range(dout.shape[2]):
        for j in range(dout.shape[3]):
            rows, cols = slice(i * stride, i * stride + hh), slice(j * stride, j * stride + ww)
            contrib = np.zeros_like(dxp[:, :, rows, cols])
            for k in range(f):
                g = dout[:, k, i, j]
                contrib += g[:, None, None, None] * w[k]
                dw[k] += np.tensordot(g, xp[:, :, rows, cols], axes=(0, 0))
            dxp[:, :, rows, cols] = contrib
    return dxp[:, :, padding : padding + h, padding : padding + wd], dw, dout.sum(axis=(0, 2, 3))


# %% wrong id=conv2d_naive_backward name=dx-keeps-padding
def conv2d_naive_backward(dout, x, w, stride=1, padding=0):
    out, cache = F.conv2d_forward(x, w, np.zeros(w.shape[0]), stride=stride, padding=padding)
    dx, dw, db = F.conv2d_backward(dout, cache)
    return np.pad(dx, ((0, 0), (0, 0), (padding, padding), (padding, padding))), dw, db


# %% wrong id=conv2d_naive_backward name=dx-with-flipped-kernel
def conv2d_naive_backward(dout, x, w, stride=1, padding=0):
    _, _, h, wd = x.shape
    f, _, hh, ww = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    dxp, dw = np.zeros_like(xp), np.zeros_like(w)
    for i in range(dout.shape[2]):
        for j in range(dout.shape[3]):
            rows, cols = slice(i * stride, i * stride + hh), slice(j * stride, j * stride + ww)
            for k in range(f):
                g = dout[:, k, i, j]
                dxp[:, :, rows, cols] += g[:, None, None, None] * w[k, :, ::-1, ::-1]
                dw[k] += np.tensordot(g, xp[:, :, rows, cols], axes=(0, 0))
    return dxp[:, :, padding : padding + h, padding : padding + wd], dw, dout.sum(axis=(0, 2, 3))


# %% wrong id=conv2d_naive_backward name=dw-from-unpadded-input
def conv2d_naive_backward(dout, x, w, stride=1, padding=0):
    _, _, h, wd = x.shape
    f, _, hh, ww = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    dxp, dw = np.zeros_like(xp), np.zeros_like(w)
    for i in range(dout.shape[2]):
        for j in range(dout.shape[3]):
            rows, cols = slice(i * stride, i * stride + hh), slice(j * stride, j * stride + ww)
            for k in range(f):
                g = dout[:, k, i, j]
                dxp[:, :, rows, cols] += g[:, None, None, None] * w[k]
                window = np.pad(x, ((0, 0), (0, 0), (0, hh), (0, ww)))[:, :, rows, cols]
                dw[k] += np.tensordot(g, window, axes=(0, 0))
    return dxp[:, :, padding : padding + h, padding : padding + wd], dw, dout.sum(axis=(0, 2, 3))


# %% wrong id=conv2d_naive_backward name=stride-ignored
def conv2d_naive_backward(dout, x, w, stride=1, padding=0):
    _, _, h, wd = x.shape
    f, _, hh, ww = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    dxp, dw = np.zeros_like(xp), np.zeros_like(w)
    for i in range(dout.shape[2]):
        for j in range(dout.shape[3]):
            rows, cols = slice(i, i + hh), slice(j, j + ww)
            for k in range(f):
                g = dout[:, k, i, j]
                dxp[:, :, rows, cols] += g[:, None, None, None] * w[k]
                dw[k] += np.tensordot(g, xp[:, :, rows, cols], axes=(0, 0))
    return dxp[:, :, padding : padding + h, padding : padding + wd], dw, dout.sum(axis=(0, 2, 3))


# %% wrong id=max_pool2d name=stride-defaults-to-one
def max_pool2d(x, kernel_size=2, stride=None):
    k = kernel_size
    s = 1 if stride is None else stride
    n, c, h, w = x.shape
    ho, wo = (h - k) // s + 1, (w - k) // s + 1
    out = np.zeros((n, c, ho, wo))
    for i in range(ho):
        for j in range(wo):
            out[:, :, i, j] = x[:, :, i * s : i * s + k, j * s : j * s + k].max(axis=(2, 3))
    return out


# %% wrong id=max_pool2d name=average-pooling
def max_pool2d(x, kernel_size=2, stride=None):
    k = kernel_size
    s = k if stride is None else stride
    n, c, h, w = x.shape
    ho, wo = (h - k) // s + 1, (w - k) // s + 1
    out = np.zeros((n, c, ho, wo))
    for i in range(ho):
        for j in range(wo):
            out[:, :, i, j] = x[:, :, i * s : i * s + k, j * s : j * s + k].mean(axis=(2, 3))
    return out


# %% wrong id=max_pool2d name=max-over-channels-too
def max_pool2d(x, kernel_size=2, stride=None):
    k = kernel_size
    s = k if stride is None else stride
    n, c, h, w = x.shape
    ho, wo = (h - k) // s + 1, (w - k) // s + 1
    out = np.zeros((n, c, ho, wo))
    for i in range(ho):
        for j in range(wo):
            out[:, :, i, j] = x[:, :, i * s : i * s + k, j * s : j * s + k].max(axis=(1, 2, 3))[:, None]
    return out


# %% wrong id=max_pool2d name=rounds-up-partial-windows
def max_pool2d(x, kernel_size=2, stride=None):
    k = kernel_size
    s = k if stride is None else stride
    n, c, h, w = x.shape
    ho, wo = -(-(h - k) // s) + 1, -(-(w - k) // s) + 1
    out = np.zeros((n, c, ho, wo))
    for i in range(ho):
        for j in range(wo):
            out[:, :, i, j] = x[:, :, i * s : i * s + k, j * s : j * s + k].max(axis=(2, 3))
    return out


# %% wrong id=max_pool2d_backward name=gradient-to-every-tied-max
def max_pool2d_backward(dout, x, kernel_size=2, stride=None):
    k = kernel_size
    s = k if stride is None else stride
    dx = np.zeros(x.shape)
    for i in range(dout.shape[2]):
        for j in range(dout.shape[3]):
            window = x[:, :, i * s : i * s + k, j * s : j * s + k]
            mask = window == window.max(axis=(2, 3), keepdims=True)
            dx[:, :, i * s : i * s + k, j * s : j * s + k] += mask * dout[:, :, i, j][:, :, None, None]
    return dx


# %% wrong id=max_pool2d_backward name=last-max-wins-ties
def max_pool2d_backward(dout, x, kernel_size=2, stride=None):
    k = kernel_size
    s = k if stride is None else stride
    dx = np.zeros(x.shape)
    for b in range(dout.shape[0]):
        for ch in range(dout.shape[1]):
            for i in range(dout.shape[2]):
                for j in range(dout.shape[3]):
                    window = x[b, ch, i * s : i * s + k, j * s : j * s + k]
                    flat = k * k - 1 - np.argmax(window.ravel()[::-1])
                    a, bb = divmod(int(flat), k)
                    dx[b, ch, i * s + a, j * s + bb] += dout[b, ch, i, j]
    return dx


# %% wrong id=max_pool2d_backward name=assigned-not-accumulated
def max_pool2d_backward(dout, x, kernel_size=2, stride=None):
    k = kernel_size
    s = k if stride is None else stride
    dx = np.zeros(x.shape)
    for b in range(dout.shape[0]):
        for ch in range(dout.shape[1]):
            for i in range(dout.shape[2]):
                for j in range(dout.shape[3]):
                    window = x[b, ch, i * s : i * s + k, j * s : j * s + k]
                    a, bb = np.unravel_index(np.argmax(window), window.shape)
                    dx[b, ch, i * s + a, j * s + bb] = dout[b, ch, i, j]
    return dx


# %% wrong id=max_pool2d_backward name=tied-gradient-split-evenly
def max_pool2d_backward(dout, x, kernel_size=2, stride=None):
    k = kernel_size
    s = k if stride is None else stride
    dx = np.zeros(x.shape)
    for i in range(dout.shape[2]):
        for j in range(dout.shape[3]):
            window = x[:, :, i * s : i * s + k, j * s : j * s + k]
            mask = window == window.max(axis=(2, 3), keepdims=True)
            share = mask / mask.sum(axis=(2, 3), keepdims=True)
            dx[:, :, i * s : i * s + k, j * s : j * s + k] += share * dout[:, :, i, j][:, :, None, None]
    return dx


# %% wrong id=max_pool2d_backward name=average-pool-gradient
def max_pool2d_backward(dout, x, kernel_size=2, stride=None):
    k = kernel_size
    s = k if stride is None else stride
    dx = np.zeros(x.shape)
    for i in range(dout.shape[2]):
        for j in range(dout.shape[3]):
            dx[:, :, i * s : i * s + k, j * s : j * s + k] += dout[:, :, i, j][:, :, None, None] / (k * k)
    return dx


# %% wrong id=max_pool2d_backward name=stride-defaults-to-one
def max_pool2d_backward(dout, x, kernel_size=2, stride=None):
    k = kernel_size
    s = 1 if stride is None else stride
    dx = np.zeros(x.shape)
    for b in range(dout.shape[0]):
        for ch in range(dout.shape[1]):
            for i in range(dout.shape[2]):
                for j in range(dout.shape[3]):
                    window = x[b, ch, i * s : i * s + k, j * s : j * s + k]
                    a, bb = np.unravel_index(np.argmax(window), window.shape)
                    dx[b, ch, i * s + a, j * s + bb] += dout[b, ch, i, j]
    return dx


# %% wrong id=receptive_field name=ignores-strides
def receptive_field(layers):
    return 1 + sum(k - 1 for k, _ in layers)


# %% wrong id=receptive_field name=own-stride-counted
def receptive_field(layers):
    r, jump = 1, 1
    for k, s in layers:
        jump *= s
        r += (k - 1) * jump
    return r


# %% wrong id=receptive_field name=missing-the-one
def receptive_field(layers):
    r, jump = 0, 1
    for k, s in layers:
        r += (k - 1) * jump
        jump *= s
    return r


# %% wrong id=receptive_field name=sum-of-kernels
def receptive_field(layers):
    return max(1, sum(k for k, _ in layers))


# %% wrong id=receptive_field name=kernel-times-stride
def receptive_field(layers):
    r = 1
    for k, s in layers:
        r = r * s + k - 1
    return r


# %% wrong id=build_cnn name=mlp-without-convolution
def build_cnn():
    return nn.Sequential(nn.Flatten(), nn.Linear(40, 50), nn.ReLU(), nn.Linear(50, 10))


# %% wrong id=build_cnn name=no-nonlinearity
def build_cnn():
    return nn.Sequential(
        nn.Conv1d(1, 4, kernel_size=5, padding=2),
        nn.Conv1d(4, 4, kernel_size=5, padding=2),
        nn.Flatten(),
        nn.Linear(4 * 40, 10),
    )


# %% wrong id=build_cnn name=nine-classes
def build_cnn():
    return nn.Sequential(
        nn.Conv1d(1, 16, kernel_size=5, padding=2),
        nn.ReLU(),
        nn.Conv1d(16, 16, kernel_size=5, padding=2),
        nn.ReLU(),
        nn.AdaptiveMaxPool1d(1),
        nn.Flatten(),
        nn.Linear(16, 9),
    )


# %% wrong id=build_cnn name=the-usual-design-breaks-the-budget
def build_cnn():
    return nn.Sequential(
        nn.Conv1d(1, 32, kernel_size=5, padding=2),
        nn.ReLU(),
        nn.MaxPool1d(2),
        nn.Conv1d(32, 32, kernel_size=5, padding=2),
        nn.ReLU(),
        nn.MaxPool1d(2),
        nn.Conv1d(32, 32, kernel_size=3, padding=1),
        nn.ReLU(),
        nn.Flatten(),
        nn.Linear(32 * 10, 10),
    )


# %% wrong id=build_cnn name=the-usual-design-shrunk-to-the-budget
def build_cnn():
    return nn.Sequential(
        nn.Conv1d(1, 8, kernel_size=5, padding=2),
        nn.ReLU(),
        nn.MaxPool1d(2),
        nn.Conv1d(8, 8, kernel_size=5, padding=2),
        nn.ReLU(),
        nn.MaxPool1d(2),
        nn.Flatten(),
        nn.Linear(8 * 10, 10),
    )


# %% wrong id=build_cnn name=global-average-instead-of-maximum
def build_cnn():
    return nn.Sequential(
        nn.Conv1d(1, 16, kernel_size=5, padding=2),
        nn.ReLU(),
        nn.Conv1d(16, 16, kernel_size=5, padding=2),
        nn.ReLU(),
        nn.MaxPool1d(2),
        nn.Conv1d(16, 16, kernel_size=5, padding=2),
        nn.ReLU(),
        nn.AdaptiveAvgPool1d(1),
        nn.Flatten(),
        nn.Linear(16, 10),
    )


# %% wrong id=build_cnn name=missing-flatten
def build_cnn():
    return nn.Sequential(
        nn.Conv1d(1, 16, kernel_size=5, padding=2),
        nn.ReLU(),
        nn.MaxPool1d(4),
        nn.Linear(10, 10),
    )


# %% wrong id=build_cnn name=one-global-feature-per-channel
def build_cnn():
    return nn.Sequential(
        nn.Conv1d(1, 4, kernel_size=3),
        nn.ReLU(),
        nn.AdaptiveMaxPool1d(1),
        nn.Flatten(),
        nn.Linear(4, 10),
    )


# %% wrong id=conv2d_fast name=flipped-kernel-true-convolution
def conv2d_fast(x, w, b, padding=0):
    p = padding
    xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))
    windows = np.lib.stride_tricks.sliding_window_view(xp, w.shape[2:], axis=(2, 3))
    return np.einsum("nchwab,fcab->nfhw", windows, w[:, :, ::-1, ::-1]) + b[None, :, None, None]


# %% wrong id=conv2d_fast name=kernel-axes-swapped
def conv2d_fast(x, w, b, padding=0):
    p = padding
    xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))
    windows = np.lib.stride_tricks.sliding_window_view(xp, w.shape[2:][::-1], axis=(2, 3))
    return np.einsum("nchwab,fcba->nfhw", windows, w) + b[None, :, None, None]


# %% wrong id=conv2d_fast name=bias-added-along-the-wrong-axis
def conv2d_fast(x, w, b, padding=0):
    p = padding
    xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))
    windows = np.lib.stride_tricks.sliding_window_view(xp, w.shape[2:], axis=(2, 3))
    return np.einsum("nchwab,fcab->nfhw", windows, w) + b.sum() / len(b)


# %% wrong id=conv2d_fast name=padding-ignored
def conv2d_fast(x, w, b, padding=0):
    windows = np.lib.stride_tricks.sliding_window_view(x, w.shape[2:], axis=(2, 3))
    return np.einsum("nchwab,fcab->nfhw", windows, w) + b[None, :, None, None]


# %% wrong id=conv2d_fast name=channels-not-summed
def conv2d_fast(x, w, b, padding=0):
    p = padding
    xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))
    windows = np.lib.stride_tricks.sliding_window_view(xp, w.shape[2:], axis=(2, 3))
    return np.einsum("nhwab,fab->nfhw", windows[:, 0], w[:, 0]) + b[None, :, None, None]


# %% wrong id=conv2d_fast name=padding-one-side-only
def conv2d_fast(x, w, b, padding=0):
    p = padding
    xp = np.pad(x, ((0, 0), (0, 0), (2 * p, 0), (2 * p, 0)))
    windows = np.lib.stride_tricks.sliding_window_view(xp, w.shape[2:], axis=(2, 3))
    return np.einsum("nchwab,fcab->nfhw", windows, w) + b[None, :, None, None]


# %% wrong id=conv2d_fast name=pads-the-input-in-place
def conv2d_fast(x, w, b, padding=0):
    x *= 1.0 + 1e-3
    p = padding
    xp = np.pad(x / (1.0 + 1e-3), ((0, 0), (0, 0), (p, p), (p, p)))
    windows = np.lib.stride_tricks.sliding_window_view(xp, w.shape[2:], axis=(2, 3))
    return np.einsum("nchwab,fcab->nfhw", windows, w) + b[None, :, None, None]


# %% wrong id=conv2d_backward_flipped name=kernel-not-flipped
def conv2d_backward_flipped(dout, x, w, padding=0):
    f, c, hh, ww = w.shape
    p = padding
    xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))
    dout_full = np.pad(dout, ((0, 0), (0, 0), (hh - 1, hh - 1), (ww - 1, ww - 1)))
    dxp = conv2d_fast(dout_full, w.transpose(1, 0, 2, 3), np.zeros(c))
    dx = dxp[:, :, p : p + x.shape[2], p : p + x.shape[3]]
    dw = conv2d_fast(xp.transpose(1, 0, 2, 3), dout.transpose(1, 0, 2, 3), np.zeros(f)).transpose(1, 0, 2, 3)
    return dx, dw, dout.sum(axis=(0, 2, 3))


# %% wrong id=conv2d_backward_flipped name=filters-and-channels-not-swapped
def conv2d_backward_flipped(dout, x, w, padding=0):
    f, c, hh, ww = w.shape
    p = padding
    xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))
    dout_full = np.pad(dout, ((0, 0), (0, 0), (hh - 1, hh - 1), (ww - 1, ww - 1)))
    w_flipped = w[:, :, ::-1, ::-1].reshape(c, f, hh, ww)
    dxp = conv2d_fast(dout_full, w_flipped, np.zeros(c))
    dx = dxp[:, :, p : p + x.shape[2], p : p + x.shape[3]]
    dw = conv2d_fast(xp.transpose(1, 0, 2, 3), dout.transpose(1, 0, 2, 3), np.zeros(f)).transpose(1, 0, 2, 3)
    return dx, dw, dout.sum(axis=(0, 2, 3))


# %% wrong id=conv2d_backward_flipped name=same-padding-instead-of-full
def conv2d_backward_flipped(dout, x, w, padding=0):
    f, c, hh, ww = w.shape
    p = padding
    xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))
    dout_same = np.pad(dout, ((0, 0), (0, 0), ((hh - 1) // 2, hh // 2), ((ww - 1) // 2, ww // 2)))
    dxp = conv2d_fast(dout_same, w[:, :, ::-1, ::-1].transpose(1, 0, 2, 3), np.zeros(c))
    dx = np.zeros(x.shape)
    dx[:, :, : dxp.shape[2], : dxp.shape[3]] = dxp[:, :, : x.shape[2], : x.shape[3]]
    dw = conv2d_fast(xp.transpose(1, 0, 2, 3), dout.transpose(1, 0, 2, 3), np.zeros(f)).transpose(1, 0, 2, 3)
    return dx, dw, dout.sum(axis=(0, 2, 3))


# %% wrong id=conv2d_backward_flipped name=padding-not-cut-away
def conv2d_backward_flipped(dout, x, w, padding=0):
    f, c, hh, ww = w.shape
    p = padding
    xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))
    dout_full = np.pad(dout, ((0, 0), (0, 0), (hh - 1, hh - 1), (ww - 1, ww - 1)))
    dx = conv2d_fast(dout_full, w[:, :, ::-1, ::-1].transpose(1, 0, 2, 3), np.zeros(c))
    dw = conv2d_fast(xp.transpose(1, 0, 2, 3), dout.transpose(1, 0, 2, 3), np.zeros(f)).transpose(1, 0, 2, 3)
    return dx, dw, dout.sum(axis=(0, 2, 3))


# %% wrong id=conv2d_backward_flipped name=dw-from-the-unpadded-input
def conv2d_backward_flipped(dout, x, w, padding=0):
    f, c, hh, ww = w.shape
    p = padding
    dout_full = np.pad(dout, ((0, 0), (0, 0), (hh - 1, hh - 1), (ww - 1, ww - 1)))
    dxp = conv2d_fast(dout_full, w[:, :, ::-1, ::-1].transpose(1, 0, 2, 3), np.zeros(c))
    dx = dxp[:, :, p : p + x.shape[2], p : p + x.shape[3]]
    dw = conv2d_fast(x.transpose(1, 0, 2, 3), dout.transpose(1, 0, 2, 3), np.zeros(f))
    return dx, dw.transpose(1, 0, 2, 3), dout.sum(axis=(0, 2, 3))


# %% wrong id=conv2d_backward_flipped name=dw-not-transposed-back
def conv2d_backward_flipped(dout, x, w, padding=0):
    f, c, hh, ww = w.shape
    p = padding
    xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))
    dout_full = np.pad(dout, ((0, 0), (0, 0), (hh - 1, hh - 1), (ww - 1, ww - 1)))
    dxp = conv2d_fast(dout_full, w[:, :, ::-1, ::-1].transpose(1, 0, 2, 3), np.zeros(c))
    dx = dxp[:, :, p : p + x.shape[2], p : p + x.shape[3]]
    dw = conv2d_fast(xp.transpose(1, 0, 2, 3), dout.transpose(1, 0, 2, 3), np.zeros(f))
    return dx, dw.reshape(w.shape), dout.sum(axis=(0, 2, 3))


# %% wrong id=conv2d_backward_flipped name=db-mean-over-batch
def conv2d_backward_flipped(dout, x, w, padding=0):
    f, c, hh, ww = w.shape
    p = padding
    xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))
    dout_full = np.pad(dout, ((0, 0), (0, 0), (hh - 1, hh - 1), (ww - 1, ww - 1)))
    dxp = conv2d_fast(dout_full, w[:, :, ::-1, ::-1].transpose(1, 0, 2, 3), np.zeros(c))
    dx = dxp[:, :, p : p + x.shape[2], p : p + x.shape[3]]
    dw = conv2d_fast(xp.transpose(1, 0, 2, 3), dout.transpose(1, 0, 2, 3), np.zeros(f)).transpose(1, 0, 2, 3)
    return dx, dw, dout.sum(axis=(2, 3)).mean(axis=0)


# %% wrong id=conv2d_backward_flipped name=flips-w-in-place
def conv2d_backward_flipped(dout, x, w, padding=0):
    f, c, hh, ww = w.shape
    p = padding
    xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))
    dout_full = np.pad(dout, ((0, 0), (0, 0), (hh - 1, hh - 1), (ww - 1, ww - 1)))
    w[...] = w[:, :, ::-1, ::-1].copy()
    dxp = conv2d_fast(dout_full, w.transpose(1, 0, 2, 3), np.zeros(c))
    dx = dxp[:, :, p : p + x.shape[2], p : p + x.shape[3]]
    dw = conv2d_fast(xp.transpose(1, 0, 2, 3), dout.transpose(1, 0, 2, 3), np.zeros(f)).transpose(1, 0, 2, 3)
    return dx, dw, dout.sum(axis=(0, 2, 3))


# %% wrong id=cnn_loss name=relu-mask-forgotten
def cnn_loss(params, x, y=None):
    w1, b1, w2, b2 = (params[key] for key in ("w1", "b1", "w2", "b2"))
    pad = (w1.shape[2] - 1) // 2
    conv = conv2d_fast(x, w1, b1, padding=pad)
    act = np.maximum(conv, 0.0)
    pooled = max_pool2d(act, 2)
    flat = pooled.reshape(len(x), -1)
    scores = flat @ w2 + b2
    if y is None:
        return scores
    loss, dscores = F.softmax_cross_entropy(scores, y)
    dconv = max_pool2d_backward((dscores @ w2.T).reshape(pooled.shape), act, 2)
    _, dw1, db1 = conv2d_backward_flipped(dconv, x, w1, padding=pad)
    return loss, {"w1": dw1, "b1": db1, "w2": flat.T @ dscores, "b2": dscores.sum(axis=0)}


# %% wrong id=cnn_loss name=flattened-channels-last
def cnn_loss(params, x, y=None):
    w1, b1, w2, b2 = (params[key] for key in ("w1", "b1", "w2", "b2"))
    pad = (w1.shape[2] - 1) // 2
    conv = conv2d_fast(x, w1, b1, padding=pad)
    act = np.maximum(conv, 0.0)
    pooled = max_pool2d(act, 2).transpose(0, 2, 3, 1)
    flat = pooled.reshape(len(x), -1)
    scores = flat @ w2 + b2
    if y is None:
        return scores
    loss, dscores = F.softmax_cross_entropy(scores, y)
    dpooled = (dscores @ w2.T).reshape(pooled.shape).transpose(0, 3, 1, 2)
    dconv = max_pool2d_backward(dpooled, act, 2) * (conv > 0)
    _, dw1, db1 = conv2d_backward_flipped(dconv, x, w1, padding=pad)
    return loss, {"w1": dw1, "b1": db1, "w2": flat.T @ dscores, "b2": dscores.sum(axis=0)}


# %% wrong id=cnn_loss name=loss-summed-not-averaged
def cnn_loss(params, x, y=None):
    w1, b1, w2, b2 = (params[key] for key in ("w1", "b1", "w2", "b2"))
    pad = (w1.shape[2] - 1) // 2
    conv = conv2d_fast(x, w1, b1, padding=pad)
    act = np.maximum(conv, 0.0)
    pooled = max_pool2d(act, 2)
    flat = pooled.reshape(len(x), -1)
    scores = flat @ w2 + b2
    if y is None:
        return scores
    loss, dscores = F.softmax_cross_entropy(scores, y)
    loss, dscores = loss * len(x), dscores * len(x)
    dconv = max_pool2d_backward((dscores @ w2.T).reshape(pooled.shape), act, 2) * (conv > 0)
    _, dw1, db1 = conv2d_backward_flipped(dconv, x, w1, padding=pad)
    return loss, {"w1": dw1, "b1": db1, "w2": flat.T @ dscores, "b2": dscores.sum(axis=0)}


# %% wrong id=cnn_loss name=pool-gradient-spread-over-the-window
def cnn_loss(params, x, y=None):
    w1, b1, w2, b2 = (params[key] for key in ("w1", "b1", "w2", "b2"))
    pad = (w1.shape[2] - 1) // 2
    conv = conv2d_fast(x, w1, b1, padding=pad)
    act = np.maximum(conv, 0.0)
    pooled = max_pool2d(act, 2)
    flat = pooled.reshape(len(x), -1)
    scores = flat @ w2 + b2
    if y is None:
        return scores
    loss, dscores = F.softmax_cross_entropy(scores, y)
    dpooled = (dscores @ w2.T).reshape(pooled.shape)
    dact = np.repeat(np.repeat(dpooled, 2, axis=2), 2, axis=3) / 4
    _, dw1, db1 = conv2d_backward_flipped(dact * (conv > 0), x, w1, padding=pad)
    return loss, {"w1": dw1, "b1": db1, "w2": flat.T @ dscores, "b2": dscores.sum(axis=0)}


# %% wrong id=cnn_loss name=conv-bias-gradient-missing
def cnn_loss(params, x, y=None):
    w1, b1, w2, b2 = (params[key] for key in ("w1", "b1", "w2", "b2"))
    pad = (w1.shape[2] - 1) // 2
    conv = conv2d_fast(x, w1, b1, padding=pad)
    act = np.maximum(conv, 0.0)
    pooled = max_pool2d(act, 2)
    flat = pooled.reshape(len(x), -1)
    scores = flat @ w2 + b2
    if y is None:
        return scores
    loss, dscores = F.softmax_cross_entropy(scores, y)
    dconv = max_pool2d_backward((dscores @ w2.T).reshape(pooled.shape), act, 2) * (conv > 0)
    _, dw1, _ = conv2d_backward_flipped(dconv, x, w1, padding=pad)
    return loss, {"w1": dw1, "b1": np.zeros_like(b1), "w2": flat.T @ dscores, "b2": dscores.sum(axis=0)}


# %% wrong id=cnn_loss name=relu-derivative-one-at-zero
def cnn_loss(params, x, y=None):
    w1, b1, w2, b2 = (params[key] for key in ("w1", "b1", "w2", "b2"))
    pad = (w1.shape[2] - 1) // 2
    conv = conv2d_fast(x, w1, b1, padding=pad)
    act = np.maximum(conv, 0.0)
    pooled = max_pool2d(act, 2)
    flat = pooled.reshape(len(x), -1)
    scores = flat @ w2 + b2
    if y is None:
        return scores
    loss, dscores = F.softmax_cross_entropy(scores, y)
    dconv = max_pool2d_backward((dscores @ w2.T).reshape(pooled.shape), act, 2) * (conv >= 0)
    _, dw1, db1 = conv2d_backward_flipped(dconv, x, w1, padding=pad)
    return loss, {"w1": dw1, "b1": db1, "w2": flat.T @ dscores, "b2": dscores.sum(axis=0)}


# %% wrong id=cnn_loss name=padding-hardcoded-to-1
def cnn_loss(params, x, y=None):
    w1, b1, w2, b2 = (params[key] for key in ("w1", "b1", "w2", "b2"))
    conv = conv2d_fast(x, w1, b1, padding=1)
    act = np.maximum(conv, 0.0)
    pooled = max_pool2d(act, 2)
    flat = pooled.reshape(len(x), -1)
    scores = flat @ w2 + b2
    if y is None:
        return scores
    loss, dscores = F.softmax_cross_entropy(scores, y)
    dconv = max_pool2d_backward((dscores @ w2.T).reshape(pooled.shape), act, 2) * (conv > 0)
    _, dw1, db1 = conv2d_backward_flipped(dconv, x, w1, padding=1)
    return loss, {"w1": dw1, "b1": db1, "w2": flat.T @ dscores, "b2": dscores.sum(axis=0)}


# %% wrong id=cnn_loss name=updates-params-in-place
def cnn_loss(params, x, y=None):
    w1, b1, w2, b2 = (params[key] for key in ("w1", "b1", "w2", "b2"))
    pad = (w1.shape[2] - 1) // 2
    conv = conv2d_fast(x, w1, b1, padding=pad)
    act = np.maximum(conv, 0.0)
    pooled = max_pool2d(act, 2)
    flat = pooled.reshape(len(x), -1)
    scores = flat @ w2 + b2
    if y is None:
        return scores
    loss, dscores = F.softmax_cross_entropy(scores, y)
    dconv = max_pool2d_backward((dscores @ w2.T).reshape(pooled.shape), act, 2) * (conv > 0)
    _, dw1, db1 = conv2d_backward_flipped(dconv, x, w1, padding=pad)
    grads = {"w1": dw1, "b1": db1, "w2": flat.T @ dscores, "b2": dscores.sum(axis=0)}
    for key in params:
        params[key] -= 0.0 * grads[key] + 1e-3
    return loss, grads


# %% wrong id=conv_transpose2d name=no-zeros-between-the-inputs
def conv_transpose2d(x, w, stride=1):
    if w.shape[0] != x.shape[1]:
        raise ValueError(f"w {w.shape} does not match x {x.shape}")
    if stride < 1:
        raise ValueError(f"stride must be positive, got {stride}")
    kh, kw = w.shape[2:]
    full = np.pad(x, ((0, 0), (0, 0), (kh - 1, kh - 1), (kw - 1, kw - 1)))
    return conv2d_fast(full, w[:, :, ::-1, ::-1].transpose(1, 0, 2, 3), np.zeros(w.shape[1]))


# %% wrong id=conv_transpose2d name=kernel-not-flipped
def conv_transpose2d(x, w, stride=1):
    if w.shape[0] != x.shape[1]:
        raise ValueError(f"w {w.shape} does not match x {x.shape}")
    if stride < 1:
        raise ValueError(f"stride must be positive, got {stride}")
    n, c, h, wd = x.shape
    kh, kw = w.shape[2:]
    spread = np.zeros((n, c, (h - 1) * stride + 1, (wd - 1) * stride + 1))
    spread[:, :, ::stride, ::stride] = x
    full = np.pad(spread, ((0, 0), (0, 0), (kh - 1, kh - 1), (kw - 1, kw - 1)))
    return conv2d_fast(full, w.transpose(1, 0, 2, 3), np.zeros(w.shape[1]))


# %% wrong id=conv_transpose2d name=padded-by-the-kernel-size
def conv_transpose2d(x, w, stride=1):
    if w.shape[0] != x.shape[1]:
        raise ValueError(f"w {w.shape} does not match x {x.shape}")
    if stride < 1:
        raise ValueError(f"stride must be positive, got {stride}")
    n, c, h, wd = x.shape
    kh, kw = w.shape[2:]
    spread = np.zeros((n, c, (h - 1) * stride + 1, (wd - 1) * stride + 1))
    spread[:, :, ::stride, ::stride] = x
    full = np.pad(spread, ((0, 0), (0, 0), (kh, kh), (kw, kw)))
    return conv2d_fast(full, w[:, :, ::-1, ::-1].transpose(1, 0, 2, 3), np.zeros(w.shape[1]))


# %% wrong id=conv_transpose2d name=zeros-after-the-last-input-too
def conv_transpose2d(x, w, stride=1):
    if w.shape[0] != x.shape[1]:
        raise ValueError(f"w {w.shape} does not match x {x.shape}")
    if stride < 1:
        raise ValueError(f"stride must be positive, got {stride}")
    n, c, h, wd = x.shape
    kh, kw = w.shape[2:]
    spread = np.zeros((n, c, h * stride, wd * stride))
    spread[:, :, ::stride, ::stride] = x
    full = np.pad(spread, ((0, 0), (0, 0), (kh - 1, kh - 1), (kw - 1, kw - 1)))
    return conv2d_fast(full, w[:, :, ::-1, ::-1].transpose(1, 0, 2, 3), np.zeros(w.shape[1]))


# %% wrong id=conv_transpose2d name=channel-axes-not-swapped
def conv_transpose2d(x, w, stride=1):
    if w.shape[0] != x.shape[1]:
        raise ValueError(f"w {w.shape} does not match x {x.shape}")
    if stride < 1:
        raise ValueError(f"stride must be positive, got {stride}")
    n, c, h, wd = x.shape
    kh, kw = w.shape[2:]
    spread = np.zeros((n, c, (h - 1) * stride + 1, (wd - 1) * stride + 1))
    spread[:, :, ::stride, ::stride] = x
    full = np.pad(spread, ((0, 0), (0, 0), (kh - 1, kh - 1), (kw - 1, kw - 1)))
    flipped = w[:, :, ::-1, ::-1]
    return conv2d_fast(full, flipped.reshape(w.shape[1], w.shape[0], kh, kw), np.zeros(w.shape[1]))


# %% wrong id=conv_transpose2d name=no-check-of-the-arguments
def conv_transpose2d(x, w, stride=1):
    n, c, h, wd = x.shape
    kh, kw = w.shape[2:]
    s = max(int(stride), 1)
    spread = np.zeros((n, c, (h - 1) * s + 1, (wd - 1) * s + 1))
    spread[:, :, ::s, ::s] = x
    full = np.pad(spread, ((0, 0), (0, 0), (kh - 1, kh - 1), (kw - 1, kw - 1)))
    w = w[:c] if w.shape[0] > c else w
    return conv2d_fast(full, w[:, :, ::-1, ::-1].transpose(1, 0, 2, 3), np.zeros(w.shape[1]))

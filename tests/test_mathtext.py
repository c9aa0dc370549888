"""Tests for drill.mathtext: LaTeX math in card text rendered for the terminal."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drill.mathtext import to_terminal, wrap

# Every expected value below was written out by hand.
CASES = [
    # --- sentences from the deck -------------------------------------------
    pytest.param(
        r"Forward pass with \(x=[1, -1]\)",
        "Forward pass with x=[1, -1]",
        id="deck-forward-pass",
    ),
    pytest.param(
        r"\(W_1 = \begin{bmatrix}2&0\\0&2\end{bmatrix}\), \(b_1 = [0, 0]\)",
        "  W₁ = ⎡2  0⎤,\n"
        "       ⎣0  2⎦\n"
        "b₁ = [0, 0]",
        id="deck-matrix-then-vector",
    ),
    pytest.param(
        r"\(\nabla L_{reg} = \nabla L + \lambda w\)",
        "∇L_reg = ∇L + λw",
        id="deck-regularised-gradient",
    ),
    pytest.param(
        r"\(w \leftarrow w - \alpha(\nabla L + \lambda w) = w(1 - \alpha\lambda) - \alpha\nabla L\)",
        "w ← w - α(∇L + λw) = w(1 - αλ) - α∇L",
        id="deck-weight-decay-update",
    ),
    pytest.param(
        r"\(L_{reg} = L + \frac{\lambda}{2}\|w\|^2\)",
        "L_reg = L + λ/2 ‖w‖²",
        id="deck-l2-loss",
    ),
    pytest.param(
        r"\(\delta_1 = (\delta_2 W_2) \odot \text{ReLU}'(z_1)\)",
        "δ₁ = (δ₂W₂) ⊙ ReLU'(z₁)",
        id="deck-backprop-delta",
    ),
    pytest.param(
        r"\(y = r + \gamma \max_a Q(s', a; \theta^-)\)",
        "y = r + γ maxₐ Q(s', a; θ⁻)",
        id="deck-dqn-target",
    ),
    pytest.param(
        r"\(\frac{\partial L}{\partial w_1} = \frac{\partial L}{\partial a_n}"
        r" \cdot \frac{\partial a_n}{\partial a_{n-1}} \cdots\)",
        "∂L/∂w₁ = ∂L/∂aₙ · ∂aₙ/∂aₙ₋₁ ⋯",
        id="deck-chain-rule",
    ),
    pytest.param(
        r"\(\sigma(z) > 0.5\) for z > 0",
        "σ(z) > 0.5 for z > 0",
        id="deck-sigmoid-threshold",
    ),
    pytest.param(r"\(e^{-\max}\)", "e^(-max)", id="deck-softmax-shift"),
    pytest.param(r"\(1 - \alpha\lambda\)", "1 - αλ", id="deck-decay-factor"),
    pytest.param(
        r"\(\alpha=0.01, \lambda=0.01\)",
        "α=0.01, λ=0.01",
        id="deck-hyperparameters",
    ),
    pytest.param(
        r"The first layer computes \[ z_1 = W_1 x + b_1 \] for each input.",
        "The first layer computes\n"
        "  z₁ = W₁x + b₁\n"
        "for each input.",
        id="deck-display-in-sentence",
    ),
    pytest.param(
        r"\[ z_1 = W_1 x + b_1 \]",
        "  z₁ = W₁x + b₁",
        id="deck-display-alone",
    ),
    # --- spacing rules --------------------------------------------------------
    pytest.param(r"\(\lambda w\)", "λw", id="space-after-control-word-swallowed"),
    pytest.param(r"\(\alpha (x)\)", "α(x)", id="space-after-control-word-before-bracket"),
    pytest.param(r"\(\alpha , \beta\)", "α, β", id="space-after-control-word-before-comma"),
    pytest.param(r"\(\alpha = 0.1\)", "α = 0.1", id="space-after-control-word-before-equals"),
    pytest.param(r"\(\delta_2 W_2\)", "δ₂W₂", id="space-between-symbols-dropped"),
    pytest.param(r"\(2 x\)", "2x", id="space-between-number-and-symbol-dropped"),
    pytest.param(r"\(1 2\)", "1 2", id="space-between-numbers-kept"),
    pytest.param(r"\(2 (p_i - y_i)\)", "2(pᵢ - yᵢ)", id="number-times-bracket"),
    pytest.param(r"\(\sigma(z) (1 - \sigma(z))\)", "σ(z)(1 - σ(z))", id="bracket-times-bracket"),
    pytest.param(r"\(a_1 \cdots a_n\)", "a₁ ⋯ aₙ", id="cdots-spaced"),
    pytest.param(r"\(x_1, \ldots, x_n\)", "x₁, …, xₙ", id="ldots-in-list"),
    pytest.param(
        r"\(\frac{\partial a_n}{\partial a_{n-1}} \cdots \frac{\partial a_2}{\partial a_1}\)",
        "∂aₙ/∂aₙ₋₁ ⋯ ∂a₂/∂a₁",
        id="cdots-between-fractions",
    ),
    pytest.param(r"\(a+b = c\)", "a+b = c", id="ascii-operators-as-typed"),
    pytest.param(r"\(\alpha\cdot\beta\)", "α · β", id="command-operator-spaced"),
    pytest.param(r"\(p(y \mid x)\)", "p(y | x)", id="mid-spaced"),
    pytest.param(r"\(x \in \mathbb{R}^n\)", "x ∈ ℝⁿ", id="in-and-blackboard"),
    pytest.param(r"\(\log p(x)\)", "log p(x)", id="named-operator-spaced"),
    pytest.param(r"\(\max(a, b)\)", "max(a, b)", id="named-operator-before-bracket"),
    pytest.param(
        r"\(\arg\max_\theta J(\theta)\)",
        "arg max_θ J(θ)",
        id="argmax-with-spelled-out-subscript",
    ),
    pytest.param(r"\(L_{reg} w\)", "L_reg w", id="spelled-out-script-then-symbol"),
    pytest.param(r"\(L_{reg}w\)", "L_reg w", id="spelled-out-script-glued-symbol"),
    pytest.param(r"\(\frac{1}{2}x\)", "1/2 x", id="fraction-then-factor"),
    pytest.param(r"\(\left( \frac{a}{b} \right)\)", "(a/b)", id="left-right-dropped"),
    pytest.param(r"\(\{1, 2\}\)", "{1, 2}", id="escaped-braces"),
    pytest.param(r"\(a \quad b\)", "a  b", id="quad-two-spaces"),
    pytest.param(r"\(a \qquad b\)", "a    b", id="qquad-four-spaces"),
    pytest.param(r"\(a\,b\;c\ d\)", "a b c d", id="thin-spaces"),
    pytest.param(r"\(a\!b\)", "ab", id="negative-space"),
    pytest.param(r"\(\text{if } x > 0\)", "if x > 0", id="text-with-trailing-space"),
    # --- scripts -------------------------------------------------------------
    pytest.param(r"\(W_1\)", "W₁", id="subscript-digit"),
    pytest.param(r"\(x_{12}\)", "x₁₂", id="subscript-group"),
    pytest.param(r"\(x_12\)", "x₁2", id="subscript-single-token-like-tex"),
    pytest.param(r"\(x^2\)", "x²", id="superscript-digit"),
    pytest.param(r"\(e^{-x}\)", "e⁻ˣ", id="superscript-group"),
    pytest.param(r"\(\theta^-\)", "θ⁻", id="superscript-minus"),
    pytest.param(r"\(Q_{target}\)", "Q_target", id="subscript-fallback-word"),
    pytest.param(r"\(x_{i,j}\)", "x_(i,j)", id="subscript-fallback-parenthesised"),
    pytest.param(r"\(x_q\)", "x_q", id="subscript-fallback-single-letter"),
    pytest.param(r"\(x_i^2\)", "xᵢ²", id="both-scripts"),
    pytest.param(r"\(L_{reg}^2\)", "L_reg^2", id="both-scripts-spelled-out-together"),
    pytest.param(r"\(x_{\text{in}}\)", "x_in", id="word-script-spelled-out"),
    pytest.param(r"\(e^{z_i}\)", "e^(zᵢ)", id="nested-script-parenthesised"),
    pytest.param(r"\(\theta^* = \arg\min_\theta L(\theta)\)", "θ* = arg min_θ L(θ)",
                 id="optimum"),
    pytest.param(r"\(\mathbb{E}_{x \sim p}[f(x)]\)", "𝔼_(x ∼ p)[f(x)]",
                 id="expectation-spaced-subscript"),
    pytest.param(r"\(W^T x\)", "Wᵀx", id="transpose"),
    pytest.param(r"\({a b}^2\)", "(ab)²", id="scripted-product-bracketed"),
    pytest.param(r"\({2a}^{-1}\)", "(2a)⁻¹", id="scripted-number-times-symbol-bracketed"),
    pytest.param(r"\(\mathrm{ReLU}^2\)", "ReLU²", id="scripted-name-not-bracketed"),
    pytest.param(r"\({W_1}^T\)", "W₁ᵀ", id="scripted-group-of-one"),
    pytest.param(r"\(\sum_{i=1}^{n} x_i\)", "Σᵢ₌₁ⁿ xᵢ", id="sum-with-limits"),
    pytest.param(r"\(\operatorname{softmax}(z)_i\)", "softmax(z)ᵢ", id="operatorname"),
    # --- fractions, roots, text-like commands, accents -------------------------
    pytest.param(r"\(\frac{dL}{dx}\)", "dL/dx", id="frac-simple"),
    pytest.param(r"\(\frac{\lambda}{2}\)", "λ/2", id="frac-greek"),
    pytest.param(r"\(\frac{a+b}{c}\)", "(a+b)/c", id="frac-compound-numerator"),
    pytest.param(r"\(\frac{a}{b - c}\)", "a/(b - c)", id="frac-compound-denominator"),
    pytest.param(r"\(\frac{a}{b}^2\)", "(a/b)²", id="frac-with-superscript"),
    # A side of more than one factor is bracketed, or "1/2a" could mean (1/2)a.
    pytest.param(r"\(\frac{1}{2a}\)", "1/(2a)", id="frac-product-denominator"),
    pytest.param(r"\(\frac{a b}{c}\)", "(ab)/c", id="frac-product-numerator"),
    pytest.param(r"\(\frac{2 (p_i - y_i)}{n}\)", "(2(pᵢ - yᵢ))/n", id="frac-number-times-bracket"),
    pytest.param(r"\(\frac{-1}{2}\)", "(-1)/2", id="frac-signed-number"),
    pytest.param(r"\(\frac{1}{W_1 x}\)", "1/(W₁x)", id="frac-scripted-product"),
    pytest.param(r"\(\frac{\frac{a}{b}}{c}\)", "(a/b)/c", id="frac-nested"),
    pytest.param(r"\(\frac{x^2}{w_1}\)", "x²/w₁", id="frac-scripted-symbols"),
    pytest.param(r"\(\frac{10}{0.5}\)", "10/0.5", id="frac-numbers"),
    pytest.param(r"\(\frac{e^{-z}}{\lambda}\)", "e⁻ᶻ/λ", id="frac-exponential"),
    pytest.param(r"\(\frac{\sigma(z)}{2}\)", "σ(z)/2", id="frac-function-of-one"),
    pytest.param(r"\(\frac{\text{loss}}{n}\)", "loss/n", id="frac-text-name"),
    pytest.param(r"\(\frac{\|w\|^2}{2}\)", "‖w‖²/2", id="frac-norm"),
    pytest.param(r"\(\frac{(a+b)}{2}\)", "(a+b)/2", id="frac-already-bracketed"),
    pytest.param(r"\(\frac{\partial^2 L}{\partial w^2}\)", "∂²L/∂w²", id="frac-second-derivative"),
    pytest.param(r"\(\frac{d}{dx}\)", "d/dx", id="frac-derivative-operator"),
    pytest.param(r"\(\frac{\partial L}{2a}\)", "(∂L)/(2a)", id="frac-not-a-derivative"),
    pytest.param(r"\(\sqrt{x}\)", "√x", id="sqrt-simple"),
    pytest.param(r"\(\sqrt{x+1}\)", "√(x+1)", id="sqrt-compound"),
    pytest.param(r"\(\sqrt[3]{x}\)", "∛x", id="cube-root"),
    pytest.param(r"\(\mathbf{2}\)", "2", id="mathbf-digit"),
    pytest.param(r"\(\mathbf{W} x\)", "Wx", id="mathbf-symbol"),
    pytest.param(r"\(\mathrm{softmax} z\)", "softmax z", id="mathrm-word"),
    pytest.param(r"\(\hat{y}\)", "y\u0302", id="hat"),
    pytest.param(r"\(\bar{x}\)", "x\u0304", id="bar"),
    pytest.param(r"\(\tilde{x}\)", "x\u0303", id="tilde"),
    pytest.param(r"\(\hat{y}_i\)", "y\u0302ᵢ", id="hat-with-subscript"),
    pytest.param(r"\(f'(x) = x\prime\)", "f'(x) = x′", id="primes"),
    pytest.param(r"\(\foo + 1\)", "foo + 1", id="unknown-command-keeps-name"),
    # --- matrices --------------------------------------------------------------
    pytest.param(
        r"\(\begin{bmatrix}1&-2&30\\-40&5&6\\7&80&-9\end{bmatrix}\)",
        "  ⎡  1  -2  30⎤\n"
        "  ⎢-40   5   6⎥\n"
        "  ⎣  7  80  -9⎦",
        id="matrix-3x3-right-aligned",
    ),
    pytest.param(
        r"\(v = \begin{bmatrix}1 & 2\end{bmatrix}\)",
        "v = [ 1  2 ]",
        id="matrix-1x2-stays-inline",
    ),
    pytest.param(
        r"\(x = \begin{bmatrix}1\\-1\end{bmatrix}\)",
        "  x = ⎡ 1⎤\n"
        "      ⎣-1⎦",
        id="matrix-column-vector",
    ),
    pytest.param(
        r"\(y = \begin{bmatrix}1\\2\\3\end{bmatrix}\)",
        "      ⎡1⎤\n"
        "  y = ⎢2⎥\n"
        "      ⎣3⎦",
        id="matrix-baseline-middle-row",
    ),
    pytest.param(
        r"\(A = \begin{bmatrix}1\\2\end{bmatrix} + \begin{bmatrix}3\\4\end{bmatrix}\)",
        "  A = ⎡1⎤ + ⎡3⎤\n"
        "      ⎣2⎦   ⎣4⎦",
        id="matrix-neighbours-both-sides",
    ),
    pytest.param(
        r"\(\begin{pmatrix}a&b\\c&d\end{pmatrix}\)",
        "  ⎛a  b⎞\n"
        "  ⎝c  d⎠",
        id="pmatrix",
    ),
    pytest.param(r"\(\begin{pmatrix}1&2\end{pmatrix}\)", "( 1  2 )", id="pmatrix-one-row"),
    pytest.param(
        r"\(\begin{bmatrix}1&2\\3&4\end{bmatrix}^T\)",
        "  ⎡1  2⎤ᵀ\n"
        "  ⎣3  4⎦",
        id="matrix-transposed",
    ),
    pytest.param(
        r"\(\begin{bmatrix}\frac{1}{2}&0\\0&\sqrt{2}\end{bmatrix}\)",
        "  ⎡1/2   0⎤\n"
        "  ⎣  0  √2⎦",
        id="matrix-cells-with-fraction-and-root",
    ),
    pytest.param(
        r"take \(\begin{bmatrix}1\\2\end{bmatrix}\) and \(\begin{bmatrix}3\\4\end{bmatrix}\).",
        "take\n"
        "  ⎡1⎤\n"
        "  ⎣2⎦\n"
        "and\n"
        "  ⎡3⎤.\n"
        "  ⎣4⎦",
        id="two-blocks-in-one-sentence",
    ),
    pytest.param(
        r"Here \(W = \begin{bmatrix}1&0\\0&1\end{bmatrix}\) is the identity.",
        "Here\n"
        "  W = ⎡1  0⎤\n"
        "      ⎣0  1⎦\n"
        "is the identity.",
        id="matrix-inside-sentence",
    ),
    pytest.param(
        r"Solve \[A = \begin{bmatrix}1&2\\3&4\end{bmatrix}.\]",
        "Solve\n"
        "  A = ⎡1  2⎤.\n"
        "      ⎣3  4⎦",
        id="matrix-display-trailing-spaces-stripped",
    ),
    pytest.param(
        r"\(\begin{bmatrix}1&2\\3&4\\\end{bmatrix}\)",
        "  ⎡1  2⎤\n"
        "  ⎣3  4⎦",
        id="matrix-trailing-row-separator",
    ),
    pytest.param(
        r"\(f(z) = \begin{cases} z & z > 0 \\ 0 & \text{otherwise} \end{cases}\)",
        "  f(z) = ⎰z  z > 0\n"
        "         ⎱0  otherwise",
        id="cases",
    ),
    # --- whole texts and degraded input ---------------------------------------
    pytest.param(
        "Loss:\n" r"\[L = \frac{1}{n}\sum_i \ell_i\]" "\nwhere n is the batch size.",
        "Loss:\n"
        "  L = 1/n Σᵢ ℓᵢ\n"
        "where n is the batch size.",
        id="display-between-lines",
    ),
    pytest.param(
        "First.\n\nSecond \\(x_1\\).",
        "First.\n\nSecond x₁.",
        id="paragraphs-kept",
    ),
    pytest.param(r"\(a_n\) and \(a_{n-1}\)", "aₙ and aₙ₋₁", id="two-inline-segments"),
    pytest.param("No math here.", "No math here.", id="plain-text-unchanged"),
    pytest.param(
        r"C:\temp holds \(x\)",
        r"C:\temp holds x",
        id="backslash-outside-math-kept-as-is",
    ),
    pytest.param(r"done\) here", "done here", id="stray-closing-delimiter-dropped"),
    pytest.param(r"Rate \(\alpha = 0.1", "Rate α = 0.1", id="unterminated-inline-math"),
    pytest.param(r"\(\frac{a\)", "a/", id="unbalanced-brace"),
    pytest.param(r"\(x^{2\)", "x²", id="unbalanced-script-brace"),
    pytest.param(r"\(a}b\)", "ab", id="stray-closing-brace"),
    pytest.param(r"\(x\)\(\)", "x", id="empty-math"),
    pytest.param(r"\({|}^\)", "|", id="fence-in-group-with-empty-script"),
    pytest.param(r"\(\frac{{|}a}{2}\)", "(|a)/2", id="fence-group-in-fraction"),
]


@pytest.mark.parametrize(("source", "expected"), CASES)
def test_to_terminal(source, expected):
    assert to_terminal(source) == expected


# --- properties -----------------------------------------------------------------

SUPPORTED_COMMANDS = [
    r"\alpha", r"\beta", r"\gamma", r"\delta", r"\Delta", r"\epsilon", r"\eta",
    r"\theta", r"\lambda", r"\mu", r"\pi", r"\sigma", r"\tau", r"\phi", r"\nabla",
    r"\partial", r"\cdot", r"\times", r"\odot", r"\leftarrow", r"\rightarrow",
    r"\to", r"\le", r"\leq", r"\ge", r"\geq", r"\ne", r"\neq", r"\approx",
    r"\infty", r"\cdots", r"\ldots", r"\dots", r"\in", r"\sum", r"\max", r"\min",
    r"\log", r"\exp", r"\arg", r"\|", r"\quad", r"\qquad", r"\,", r"\;", "\\ ",
    r"\!", r"\left(", r"\right)", r"\left[", r"\right]", r"\{", r"\}", r"\prime",
]
ATOMS = st.one_of(
    st.sampled_from(SUPPORTED_COMMANDS),
    st.sampled_from(list("abcxyzLWQ")),
    st.sampled_from(list("0123456789")),
    st.sampled_from(list("+-=<>,;()[]' ./")),
    st.sampled_from(["_", "^"]),
)


def _math_fragments(children):
    group = children.map(lambda s: "{" + s + "}")
    binary = st.tuples(st.sampled_from([r"\frac", r"\sqrt", r"\hat", r"\bar", r"\tilde",
                                        r"\mathbf", r"\mathrm", r"\text",
                                        r"\operatorname"]), children).map(
        lambda p: p[0] + "{" + p[1] + "}")
    fraction = st.tuples(children, children).map(lambda p: r"\frac{{{}}}{{{}}}".format(*p))
    matrix = st.tuples(
        st.sampled_from(["bmatrix", "pmatrix"]),
        st.lists(st.lists(children, min_size=1, max_size=3), min_size=1, max_size=3),
    ).map(lambda p: rf"\begin{{{p[0]}}}"
          + r"\\".join("&".join(row) for row in p[1])
          + rf"\end{{{p[0]}}}")
    return st.lists(st.one_of(ATOMS, group, binary, fraction, matrix), max_size=6).map("".join)


MATH = st.recursive(st.lists(ATOMS, max_size=8).map("".join), _math_fragments, max_leaves=25)


@settings(max_examples=300)
@given(st.text(alphabet=st.characters(exclude_characters="\\"), max_size=20), MATH,
       st.booleans())
def test_supported_math_never_shows_a_backslash(prose, math, display):
    opener, closer = (r"\[", r"\]") if display else (r"\(", r"\)")
    assert "\\" not in to_terminal(prose + opener + math + closer + prose)
    alone = to_terminal(opener + math + closer)
    assert "\\" not in alone
    assert all(line == line.rstrip() for line in alone.split("\n"))


@settings(max_examples=300)
@given(st.text())
def test_arbitrary_text_never_raises(text):
    assert isinstance(to_terminal(text), str)


@settings(max_examples=300)
@given(st.text(alphabet=st.characters(exclude_characters=")")))
def test_garbage_math_never_shows_a_backslash(text):
    # Without ")" the segment cannot be closed, so everything after \( is math.
    assert "\\" not in to_terminal("\\(" + text)


TEX_NOISE = st.sampled_from([
    "\\", "{", "}", "_", "^", "&", "(", "[", "]", "|", "'", "$", "~", " ", "\n", "a", "x", "1",
    "\\\\", r"\frac", r"\sqrt", r"\sqrt[", r"\left", r"\right", r"\left.", r"\text",
    r"\mathbf", r"\hat", r"\begin{bmatrix}", r"\end{bmatrix}", r"\begin{cases}",
    r"\end", r"\begin", r"\max", r"\alpha", r"\|", r"\,", r"\!", r"\{", r"\}", r"\[",
])


@settings(max_examples=500)
@given(st.lists(TEX_NOISE, max_size=40).map("".join))
def test_latex_like_garbage_degrades_without_backslashes(noise):
    # No fragment holds ")", so the math segment runs to the end of the text.
    assert "\\" not in to_terminal("\\(" + noise)
    assert isinstance(to_terminal(noise), str)


# --- wrapping to a width --------------------------------------------------------------

WRAP_CASES = [
    pytest.param("one two three four", 9, "one two\nthree\nfour", id="word-boundaries"),
    pytest.param("short line", 40, "short line", id="fits-unchanged"),
    pytest.param("a supercalifragilistic word", 10, "a\nsupercalifragilistic\nword",
                 id="long-word-kept-whole"),
    pytest.param(r"so that \(z_1 = W_1 x + b_1\) holds", 20, "so that\nz₁ = W₁x + b₁ holds",
                 id="inline-formula-moves-whole"),
    pytest.param(r"x \(a + b + c + d + e + f\)", 10, "x a + b +\nc + d + e\n+ f",
                 id="formula-wider-than-a-line-breaks-at-its-spaces"),
    pytest.param(r"Here \(W = \begin{bmatrix}1&0\\0&1\end{bmatrix}\) is the identity matrix.", 12,
                 "Here\n  W = ⎡1  0⎤\n      ⎣0  1⎦\nis the\nidentity\nmatrix.",
                 id="grid-never-cut"),
    pytest.param(r"Then \[ a + b + c + d = e \]", 14, "Then\n  a + b + c +\n    d = e",
                 id="display-formula-hangs-deeper"),
    pytest.param("- first item is long", 12, "- first item\n  is long", id="list-item-hangs"),
    pytest.param("  ✓ a case with a long name", 14, "  ✓ a case\n    with a\n    long name",
                 id="check-mark-hangs"),
    pytest.param("    x = some_function(argument_one)", 10, "    x = some_function(argument_one)",
                 id="code-kept"),
    pytest.param("First paragraph here.\n\nSecond one.", 10,
                 "First\nparagraph\nhere.\n\nSecond\none.", id="paragraphs-kept"),
]


@pytest.mark.parametrize(("source", "width", "expected"), WRAP_CASES)
def test_to_terminal_wraps(source, width, expected):
    assert to_terminal(source, width) == expected


def test_without_a_width_nothing_is_wrapped():
    text = "word " * 40 + r"\(a + b\)"
    assert to_terminal(text) == to_terminal(text, None) == "word " * 40 + "a + b"


WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzλ√²₁.,()", min_size=1, max_size=12)


@settings(max_examples=300)
@given(st.lists(st.lists(WORD, max_size=30).map(" ".join), max_size=5).map("\n".join),
       st.integers(min_value=12, max_value=120))
def test_wrapped_prose_fits_and_keeps_every_word(text, width):
    wrapped = wrap(text, width)
    assert wrapped.split() == text.split()
    assert all(len(line) <= width for line in wrapped.split("\n"))
    assert wrapped.count("\n") >= text.count("\n")

package ideal

import "math"

const (
	invSqrt2   = 0.7071067811865476 // 1/√2
	invSqrt2Pi = 0.3989422804014327 // 1/√(2π)
)

// phi is the standard normal density.
func phi(x float64) float64 { return invSqrt2Pi * math.Exp(-0.5*x*x) }

// mills returns R(x) = (1-Φ(x))/φ(x), the Mills ratio, for x ≥ 0, accurately
// far into the tail where both numerator and denominator underflow.
func mills(x float64) float64 {
	if x < 8 {
		return 0.5 * math.Erfc(x*invSqrt2) / phi(x)
	}
	// Laplace's continued fraction R(x) = 1/(x+1/(x+2/(x+3/(x+…)))),
	// evaluated bottom-up; 40 terms give full precision for x ≥ 8.
	f := x
	for k := 40; k >= 1; k-- {
		f = x + float64(k)/f
	}
	return 1 / f
}

// The inverse Mills ratio λ(a) = φ(a)/(1-Φ(a)) is tabulated on [-lamMax,
// lamMax] with its derivative λ' = λ(λ-a) and evaluated by cubic Hermite
// interpolation (relative error below 1e-9), which is several times faster
// than math.Erfc and is what the E-step spends its time on.
const (
	lamMax  = 8.0
	lamStep = 1.0 / 128
)

var lamTab, lamDer = func() ([]float64, []float64) {
	n := int(2*lamMax/lamStep) + 1
	t, d := make([]float64, n), make([]float64, n)
	for i := range t {
		a := -lamMax + float64(i)*lamStep
		t[i] = lambdaExact(a)
		d[i] = t[i] * (t[i] - a)
	}
	return t, d
}()

// lambdaExact is λ(a) from math.Erfc and the continued fraction.
func lambdaExact(a float64) float64 {
	if a >= 0 {
		return 1 / mills(a)
	}
	return phi(a) / (0.5 * math.Erfc(a*invSqrt2))
}

// lambda is λ(a) = φ(a)/(1-Φ(a)), the mean of a standard normal truncated to
// [a, ∞).
func lambda(a float64) float64 {
	if !(a > -lamMax && a < lamMax) {
		if a <= -lamMax {
			return phi(a) / (0.5 * math.Erfc(a*invSqrt2))
		}
		return 1 / mills(a)
	}
	x := (a + lamMax) * (1 / lamStep)
	i := int(x)
	t := x - float64(i)
	y0, y1 := lamTab[i], lamTab[i+1]
	d0, d1 := lamDer[i]*lamStep, lamDer[i+1]*lamStep
	t2 := t * t
	t3 := t2 * t
	return (2*t3-3*t2+1)*y0 + (t3-2*t2+t)*d0 + (-2*t3+3*t2)*y1 + (t3-t2)*d1
}

// cdfTab and pdfTab tabulate Φ and φ on the grid of lamTab for normTab.
var cdfTab, pdfTab = func() ([]float64, []float64) {
	n := len(lamTab)
	c, p := make([]float64, n), make([]float64, n)
	for i := range c {
		x := -lamMax + float64(i)*lamStep
		c[i] = 0.5 * math.Erfc(-x*invSqrt2)
		p[i] = phi(x)
	}
	return c, p
}()

// normTab returns Φ(x) and φ(x) by cubic Hermite interpolation (absolute
// error below 1e-10), with Φ = 0 or 1 and φ = 0 beyond ±lamMax.
func normTab(x float64) (cdf, pdf float64) {
	if !(x > -lamMax && x < lamMax) {
		if x >= lamMax {
			return 1, 0
		}
		return 0, 0
	}
	u := (x + lamMax) * (1 / lamStep)
	i := int(u)
	t := u - float64(i)
	t2 := t * t
	t3 := t2 * t
	h00, h10, h01, h11 := 2*t3-3*t2+1, t3-2*t2+t, -2*t3+3*t2, t3-t2
	p0, p1 := pdfTab[i], pdfTab[i+1]
	x0 := -lamMax + float64(i)*lamStep
	cdf = h00*cdfTab[i] + h10*p0*lamStep + h01*cdfTab[i+1] + h11*p1*lamStep
	pdf = h00*p0 - h10*x0*p0*lamStep + h01*p1 - h11*(x0+lamStep)*p1*lamStep
	return cdf, pdf
}

// upperTail returns the mean and variance of a standard normal truncated to
// [a, ∞).
func upperTail(a float64) (mean, vr float64) {
	lam := lambda(a)
	vr = 1 - lam*(lam-a)
	if vr < 1e-12 {
		vr = 1e-12
	}
	return lam, vr
}

// interval returns the mean and variance of a standard normal truncated to
// [a, b], a < b, stably also when the interval lies far in a tail.
func interval(a, b float64) (mean, vr float64) {
	switch {
	case a >= 0:
		return intervalTail(a, b)
	case b <= 0:
		m, v := intervalTail(-b, -a)
		return -m, v
	}
	// The interval straddles 0: its probability is not small.
	ca, pa := normTab(a)
	cb, pb := normTab(b)
	z := cb - ca
	mean = (pa - pb) / z
	vr = 1 + (a*pa-b*pb)/z - mean*mean
	if vr < 1e-12 {
		vr = 1e-12
	}
	return mean, vr
}

// intervalTail is interval for 0 ≤ a < b, with every ratio scaled by φ(a).
func intervalTail(a, b float64) (mean, vr float64) {
	w := b - a
	if w*(1+a) < 1e-4 {
		// So narrow that the difference below would cancel: the density is
		// then ∝ exp(-a·(x-a)) on [a, b], to second order in w.
		return 0.5*(a+b) - a*w*w/12, w * w / 12
	}
	e := math.Exp(-0.5 * w * (b + a)) // φ(b)/φ(a)
	z := 1/lambda(a) - e/lambda(b)    // (Φ(b)-Φ(a))/φ(a)
	mean = (1 - e) / z
	vr = 1 + (a-b*e)/z - mean*mean
	if vr < 1e-12 {
		vr = 1e-12
	}
	return mean, vr
}

// latent returns the mean and variance of z ~ N(mu, s²) truncated to the
// interval of category c among ncat categories with thresholds 0 (and 1 when
// ncat is 3): category 0 is z < 0, the top category is z ≥ its lower
// threshold.
func latent(mu, s float64, c uint8, ncat uint8) (mean, vr float64) {
	var m, v float64
	if ncat == 2 {
		if c == 0 { // z < 0
			m, v = upperTail(mu / s)
			return mu - s*m, s * s * v
		}
		m, v = upperTail(-mu / s) // z ≥ 0
		return mu + s*m, s * s * v
	}
	switch c {
	case 0: // z < 0
		m, v = upperTail(mu / s)
		return mu - s*m, s * s * v
	case 1: // 0 ≤ z < 1
		m, v = interval(-mu/s, (1-mu)/s)
		return mu + s*m, s * s * v
	}
	m, v = upperTail((1 - mu) / s) // z ≥ 1
	return mu + s*m, s * s * v
}

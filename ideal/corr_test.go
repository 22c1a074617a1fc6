package ideal

import "math"

// corr is Pearson's correlation of x and y (1 when either is constant and
// they are equal).
func corr(x, y []float64) float64 {
	n := float64(len(x))
	var sx, sy float64
	for i := range x {
		sx += x[i]
		sy += y[i]
	}
	mx, my := sx/n, sy/n
	var sxx, syy, sxy float64
	for i := range x {
		dx, dy := x[i]-mx, y[i]-my
		sxx += dx * dx
		syy += dy * dy
		sxy += dx * dy
	}
	if sxx == 0 || syy == 0 {
		if sxx == syy {
			return 1
		}
		return 0
	}
	return sxy / math.Sqrt(sxx*syy)
}

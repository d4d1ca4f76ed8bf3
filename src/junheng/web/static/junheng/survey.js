// Survey results: satisfaction by group and by question, against the 85% line.
document.addEventListener("DOMContentLoaded", () => {
  const el = document.getElementById("group-chart");
  if (!el || !window.echarts) return;
  const data = JSON.parse(el.dataset.chart);
  const chart = echarts.init(el);
  chart.setOption({
    grid: { left: 48, right: 48, top: 32, bottom: 48, containLabel: true },
    tooltip: { trigger: "axis", valueFormatter: (v) => (v == null ? "—" : v + "%") },
    xAxis: { type: "category", data: data.groups, axisLabel: { interval: 0, rotate: data.groups.length > 5 ? 30 : 0 } },
    yAxis: { type: "value", min: 0, max: 100, name: "满意度（%）" },
    series: [{
      type: "bar", data: data.rates, name: "满意度",
      markLine: { symbol: "none", data: [{ yAxis: 85, name: "85%" }], label: { formatter: "85%" }, lineStyle: { color: "#cf222e" } },
    }],
  });
  const qel = document.getElementById("question-chart");
  let qchart = null;
  if (qel && data.questions.length) {
    qchart = echarts.init(qel);
    qchart.setOption({
      grid: { left: 8, right: 40, top: 16, bottom: 16, containLabel: true },
      tooltip: { trigger: "axis", valueFormatter: (v) => (v == null ? "—" : v + "%") },
      yAxis: { type: "category", data: data.questions.slice().reverse() },
      xAxis: { type: "value", min: 0, max: 100 },
      series: [{
        type: "bar", name: "满意率", data: data.question_rates.slice().reverse(),
        label: { show: true, position: "right", formatter: (p) => (p.value == null ? "" : p.value + "%") },
        markLine: { symbol: "none", data: [{ xAxis: 85 }], label: { formatter: "85%" }, lineStyle: { color: "#cf222e" } },
      }],
    });
  }
  window.addEventListener("resize", () => { chart.resize(); if (qchart) qchart.resize(); });
});

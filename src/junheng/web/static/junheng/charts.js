// ECharts for the county page, drawn from JSON embedded in data-chart attributes.
(function () {
  function draw(id, build) {
    var el = document.getElementById(id);
    if (!el || !window.echarts) return;
    var data = JSON.parse(el.dataset.chart || "null");
    if (!data) { el.textContent = "暂无数据"; return; }
    var chart = echarts.init(el);
    chart.setOption(build(data, el.clientWidth < 560));
    window.addEventListener("resize", function () { chart.resize(); });
  }
  document.addEventListener("DOMContentLoaded", function () {
    draw("cv-chart", function (d, narrow) {
      var colours = ["#1f4e8c", "#c2410c"];
      // on a phone the legend takes its own rows above the plot and the labels turn further
      return {
        tooltip: { trigger: "axis" },
        legend: narrow ? { top: 0, left: 0, orient: "vertical", itemGap: 4 } : { top: 0 },
        grid: narrow ? { left: 36, right: 8, bottom: 90, top: 70 } : { left: 40, right: 20, bottom: 60, top: 40 },
        xAxis: { type: "category", data: d.indicators, axisLabel: { interval: 0, rotate: narrow ? 45 : 20, fontSize: narrow ? 10 : 12 } },
        yAxis: { type: "value", name: "差异系数" },
        series: d.series.map(function (s, i) {
          return {
            name: s.name + "（上限" + s.limit.toFixed(2) + "）", type: "bar", data: s.data,
            itemStyle: { color: colours[i % 2] },
            markLine: { symbol: "none", lineStyle: { color: colours[i % 2], type: "dashed" },
                        label: { formatter: s.name + " " + s.limit.toFixed(2) }, data: [{ yAxis: s.limit }] }
          };
        })
      };
    });
    draw("trend-chart", function (d, narrow) {
      if (!d.length) return { title: { text: "暂无历年评估", left: "center", top: "middle", textStyle: { fontSize: 14, color: "#999" } } };
      return {
        tooltip: { trigger: "axis" },
        legend: narrow ? { top: 0, left: 0, orient: "vertical", itemGap: 4 } : { top: 0 },
        grid: narrow ? { left: 40, right: 40, bottom: 30, top: 80 } : { top: 50 },
        xAxis: { type: "category", data: d.map(function (r) { return r.year + (r.recognised ? " 通过" : " 未通过"); }) },
        yAxis: [{ type: "value", name: "最大差异系数" }, { type: "value", name: "未达标条数" }],
        series: [
          { name: "小学最大差异系数", type: "line", data: d.map(function (r) { return r.cv.primary; }) },
          { name: "初中最大差异系数", type: "line", data: d.map(function (r) { return r.cv.junior; }) },
          { name: "未达标条数", type: "bar", yAxisIndex: 1, data: d.map(function (r) { return r.reasons; }), itemStyle: { color: "#d0d7e2" } }
        ]
      };
    });
  });
})();

-- Schema version 2: the rules a new leader starts with (they can change or switch off each one).
INSERT INTO reminderrule (kind, days, weekday, item_text, template, enabled) VALUES
  ('after_order', 7, NULL, '', '您的{product}用得还顺手吗？这是我们为您搭配的一周食谱', TRUE),
  ('after_order', 3, NULL, '亚麻籽油', '{name}，亚麻籽油富含 Omega-3，送您三道凉拌食谱：亚麻籽油拌菠菜、藜麦沙拉、燕麦酸奶杯', TRUE),
  ('dormant', 60, NULL, '', '{name}，{days}天没见啦～送您一张 ¥10 无门槛唤醒券，本周团购可用', TRUE),
  ('referral', 0, NULL, '', '{name}，感谢您推荐{friend}入群！您和好友各得一张 ¥50 无门槛券', TRUE),
  ('uncollected', 0, NULL, '', '您的{product}还在{place}，记得来取哦', TRUE),
  ('recurring', 7, 2, '', '周三食谱分享：今天在群里发一道健康食谱', TRUE);
INSERT INTO tagrule (kind, tag_name, param_text, days, min_spend_cents, enabled) VALUES
  ('bought_item', '买过亚麻籽油', '亚麻籽油', 0, 0, TRUE),
  ('dormant', '沉睡60天', '', 60, 0, TRUE),
  ('high_value_dormant', '高价值沉睡', '', 90, 50000, TRUE);

"""Date input as editors type it: 2023-08-20, 2023/8/20 and 2023年8月20日.

Django's own zh_Hans formats write the last as "%Y年%n月%j日", which strptime
cannot read (%j is the day of the year), so a date typed in Chinese was refused.
Everything else comes from Django's zh_Hans formats.
"""

from django.conf.locale.zh_Hans.formats import *  # noqa: F403

DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # '2023-08-20'
    "%Y/%m/%d",  # '2023/8/20'
    "%Y.%m.%d",  # '2023.8.20', as the masthead prints periods
    "%Y年%m月%d日",  # '2023年8月20日'
    "%Y 年 %m 月 %d 日",  # '2023 年 8 月 20 日'
]
DATETIME_INPUT_FORMATS = [
    f"{date} {time}"
    for date in DATE_INPUT_FORMATS
    for time in ("%H:%M", "%H:%M:%S", "%H:%M:%S.%f")
]

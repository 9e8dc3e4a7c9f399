"""python -m data.demo --out PATH [--scale S] [--seed N]"""
import sys

from data.demo import main

sys.exit(main())
